"""Turn memberships and roles into what pages show: labels and status tags."""

from centres.roles import Role

STATUS_TAGS = {
    "active": {"text": "Active", "classes": "nhsuk-tag--green"},
    "unapproved": {"text": "Awaiting approval", "classes": "nhsuk-tag--yellow"},
    "inactive": {"text": "Inactive", "classes": "nhsuk-tag--grey"},
}


def status_tag(status: str) -> dict:
    return STATUS_TAGS[status]


def role_labels(roles) -> list[str]:
    return [Role(role).label for role in sorted(roles)]
