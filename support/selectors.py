"""Reads for support tickets (C13), for a centre and for platform staff."""

from django.db.models import Count

from centres.models import Centre
from support.models import SupportTicket


def support_tickets_for_centre(*, centre: Centre):
    return SupportTicket.objects.for_centre(centre).select_related("raised_by").order_by("-updated_at")


def support_tickets_for_platform(*, status: str | None = None):
    """C13: every centre's tickets, for platform staff only (the views check is_staff)."""
    tickets = SupportTicket.objects.select_related("centre", "raised_by").order_by("-updated_at")
    if status:
        tickets = tickets.filter(status=status)
    return tickets


def support_ticket_counts_for_platform() -> dict[str, int]:
    """How many tickets are in each status, across every centre (one query)."""
    counts = dict.fromkeys(SupportTicket.Status.values, 0)
    for row in SupportTicket.objects.values("status").annotate(total=Count("pk")).order_by():
        counts[row["status"]] = row["total"]
    return counts


def support_ticket_for_platform(*, public_id) -> SupportTicket | None:
    return SupportTicket.objects.select_related("centre", "raised_by").filter(public_id=public_id).first()
