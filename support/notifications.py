"""Support's notification kind, weekly-summary section and header entries, registered from
SupportConfig.ready (ADR 0025, 0026)."""

from django.urls import reverse

from centres.navigation import NavItem
from centres.roles import Permission
from notifications.registry import NotificationKind, SummaryEntry
from support.models import SupportTicket

SUPPORT_TICKET = "support_ticket"

SUPPORT_NOTIFICATION_KINDS = [
    NotificationKind(
        SUPPORT_TICKET,
        "Support ticket alerts",
        "When the platform team replies to one of your centre's support tickets.",
        permissions=frozenset({Permission.MANAGE_DELEGATES}),
        order=30,
    ),
]

SUPPORT_NAVIGATION = [NavItem("Support", "centres:support_tickets", Permission.MANAGE_DELEGATES, order=120)]
SUPPORT_PLATFORM_NAVIGATION = [NavItem("Support tickets", "platform:support_tickets", order=20)]


def support_answers_waiting(*, user, centre) -> SummaryEntry | None:
    """Tickets the platform team answered, waiting for the centre (while the person may raise them)."""
    if not user.has_perm(Permission.MANAGE_DELEGATES.value, centre):
        return None
    count = SupportTicket.objects.for_centre(centre).filter(status=SupportTicket.Status.ANSWERED).count()
    if not count:
        return None
    noun = "support ticket" if count == 1 else "support tickets"
    return SummaryEntry(text=f"{count} {noun} answered by the platform team", path=reverse("centres:support_tickets"))
