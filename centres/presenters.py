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
    "account.details_changed": "Changed own details",
    "notifications.preferences_changed": "Notification preferences changed",
    "support.ticket_raised": "Support ticket raised",
    "support.ticket_replied": "Support ticket reply",
    "support.ticket_answered": "Support ticket answered",
    "support.ticket_closed": "Support ticket closed",
}


def audit_action_label(action: str) -> str:
    """Words for an audit action; actions added later read sensibly until they get a label."""
    return AUDIT_ACTION_LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()


def role_labels(roles) -> list[str]:
    return [Role(role).label for role in sorted(roles)]


TICKET_STATUS_TAGS = {
    "open": {"text": "Waiting for the platform team", "classes": "nhsuk-tag--yellow"},
    "answered": {"text": "Answered", "classes": "nhsuk-tag--green"},
    "closed": {"text": "Closed", "classes": "nhsuk-tag--grey"},
}
# The platform team reads the same statuses from their side.
PLATFORM_TICKET_STATUS_TAGS = {
    **TICKET_STATUS_TAGS,
    "open": {"text": "Needs an answer", "classes": "nhsuk-tag--yellow"},
}


def ticket_status_tag(status: str, *, platform: bool = False) -> dict:
    return (PLATFORM_TICKET_STATUS_TAGS if platform else TICKET_STATUS_TAGS)[status]


def notice_status_tag(notice, *, now) -> dict:
    """Draft, Showing, or Ended (expired or withdrawn)."""
    if notice.published_at is None:
        return {"text": "Draft", "classes": "nhsuk-tag--grey"}
    if notice.expires_at is not None and notice.expires_at <= now:
        return {"text": "Ended", "classes": "nhsuk-tag--grey"}
    return {"text": "Showing", "classes": "nhsuk-tag--green"}
