"""Turn memberships and roles into what pages show: labels and status tags."""

from centres.roles import Role

STATUS_TAGS = {
    "active": {"text": "Active", "classes": "nhsuk-tag--green"},
    "unapproved": {"text": "Awaiting approval", "classes": "nhsuk-tag--yellow"},
    "inactive": {"text": "Inactive", "classes": "nhsuk-tag--grey"},
}


def status_tag(status: str) -> dict:
    return STATUS_TAGS[status]


AUDIT_ACTION_LABELS = {
    "account.login": "Logged in",
    "account.locked": "Account locked",
    "account.unlocked": "Account unlocked",
    "centre.created": "Centre created",
    "centre.chosen": "Chose centre",
    "membership.created": "Delegate registered",
    "role.granted": "Role granted",
    "role.revoked": "Role revoked",
}


def audit_action_label(action: str) -> str:
    """Words for an audit action; actions added later read sensibly until they get a label."""
    return AUDIT_ACTION_LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


def role_labels(roles) -> list[str]:
    return [Role(role).label for role in sorted(roles)]
