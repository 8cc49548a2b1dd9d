"""Passports' notification kinds and weekly-summary sections, registered from
PassportsConfig.ready (notifications.registry; ADR 0025, 0026)."""

from django.urls import reverse

from centres.roles import Permission
from notifications.registry import NotificationKind, SummaryEntry
from passports.models import ConfirmationRequest, SignOff
from passports.selectors.supervisor import open_requests_waiting, request_title

CONFIRMATION_REQUESTED = "confirmation_requested"
SIGN_OFF_REQUESTED = "sign_off_requested"
TODO_DETAILS = 5  # requests named one by one under the count on the home page and in the summary

PASSPORTS_NOTIFICATION_KINDS = [
    NotificationKind(
        CONFIRMATION_REQUESTED,
        "Confirmation requested",
        "When a learner asks you to confirm their proficiencies.",
        permissions=frozenset({Permission.ASSESS}),
        order=40,
        on_when_granted=True,
    ),
    NotificationKind(
        SIGN_OFF_REQUESTED,
        "Sign-off requested",
        "When a learner asks you to sign off their passport.",
        permissions=frozenset({Permission.SIGN_OFF}),
        order=50,
        on_when_granted=True,
    ),
]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def confirmation_requests_waiting(*, user, centre) -> SummaryEntry | None:
    """Open confirmation requests sent to the person (their to-do list), while they may assess."""
    if not user.has_perm(Permission.ASSESS.value, centre):
        return None
    count = (
        ConfirmationRequest.objects.for_centre(centre)
        .filter(supervisor=user, status=ConfirmationRequest.Status.OPEN, enrolment__removed_at__isnull=True)
        .count()
    )
    if not count:
        return None
    # Each request named apart (learner, framework, how many results, when: issue 16 item 3),
    # the newest few; two queries however many wait.
    newest = open_requests_waiting(centre=centre, user=user, limit=TODO_DETAILS)
    details = [request_title(request) for request in newest]
    if count > len(newest):
        details.append(f"and {count - len(newest)} more on the Supervise page")
    return SummaryEntry(
        text=_plural(count, "confirmation request waiting for you", "confirmation requests waiting for you"),
        path=reverse("passports:supervise"),
        details=details,
    )


def sign_off_requests_waiting(*, user, centre) -> SummaryEntry | None:
    """Sign-off requests sent to the person, while they may still sign off."""
    if not user.has_perm(Permission.SIGN_OFF.value, centre):
        return None
    count = (
        SignOff.objects.for_centre(centre)
        .filter(educator=user, status=SignOff.Status.REQUESTED, enrolment__removed_at__isnull=True)
        .count()
    )
    if not count:
        return None
    return SummaryEntry(
        text=_plural(count, "sign-off request waiting for you", "sign-off requests waiting for you"),
        path=reverse("passports:supervise"),
    )
