"""How support tickets show on pages: their status tags, for a centre and for the platform team."""

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
