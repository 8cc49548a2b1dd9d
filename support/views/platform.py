"""C13 support tickets, platform side: platform staff (no centre) read tickets across
centres only through `support.selectors`, answer and close them."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.permissions import platform_staff_required
from centres.services.errors import CentreServiceError
from submissions.tokens import once_per_submission
from support.forms import SupportReplyForm
from support.models import SupportTicket
from support.presenters import ticket_status_tag
from support.selectors import (
    support_ticket_counts_for_platform,
    support_ticket_for_platform,
    support_tickets_for_platform,
)
from support.services import support_ticket_answer
from support.services import support_ticket_close as support_ticket_close_service


def _ticket_or_404(ticket_id) -> SupportTicket:
    ticket = support_ticket_for_platform(public_id=ticket_id)
    if ticket is None:
        raise Http404("No such support ticket")
    return ticket


@platform_staff_required
@require_GET
def support_tickets(request):
    status = request.GET.get("status", "open")
    if status not in {*SupportTicket.Status.values, "all"}:
        status = "open"
    tickets = support_tickets_for_platform(status=None if status == "all" else status)
    counts = support_ticket_counts_for_platform()
    counts["all"] = sum(counts.values())
    filters = [
        {"value": value, "text": f"{text} ({counts[value]})", "label": text, "current": value == status}
        for value, text in [("open", "Needs an answer"), ("answered", "Answered"), ("closed", "Closed"), ("all", "All")]
    ]
    context = {
        "tickets": tickets,
        "status": status,
        "filters": filters,
        "status_tag": lambda value: ticket_status_tag(value, platform=True),
    }
    return render(request, "support/platform/list.html", context)


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def support_ticket(request, ticket_id):
    ticket = _ticket_or_404(ticket_id)
    form = SupportReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            support_ticket_answer(ticket=ticket, author=request.user, body=form.cleaned_data["body"], request=request)
        except CentreServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your answer has been sent to {ticket.centre.name}.")
            return redirect("platform:support_ticket", ticket_id=ticket.public_id)
    context = {
        "ticket": ticket,
        "replies": ticket.replies.select_related("author"),
        "form": form,
        "status_tag": ticket_status_tag(ticket.status, platform=True),
    }
    return render(request, "support/platform/ticket.html", context, status=400 if form.errors else 200)


@platform_staff_required
@require_POST
def support_ticket_close(request, ticket_id):
    ticket = _ticket_or_404(ticket_id)
    try:
        support_ticket_close_service(ticket=ticket, closed_by=request.user, request=request)
    except CentreServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The ticket “{ticket.subject}” is closed.")
    return redirect("platform:support_ticket", ticket_id=ticket.public_id)
