"""C13 support tickets, centre side: administrators and centre managers raise tickets, read
the platform team's answers and reply."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.permissions import permission_required
from centres.roles import Permission
from centres.services.errors import CentreServiceError
from submissions.tokens import once_per_submission
from support.forms import SupportReplyForm, SupportTicketForm
from support.models import SupportTicket
from support.presenters import ticket_status_tag
from support.selectors import support_tickets_for_centre
from support.services import support_ticket_raise, support_ticket_reply_from_centre


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def support_tickets(request):
    tickets = support_tickets_for_centre(centre=request.centre)
    return render(request, "support/centre/list.html", {"tickets": tickets, "status_tag": ticket_status_tag})


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def support_ticket_new(request):
    form = SupportTicketForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = support_ticket_raise(
                centre=request.centre, raised_by=request.user, request=request, **form.cleaned_data
            )
        except CentreServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your support ticket has been sent to the platform team.")
            return redirect("centres:support_ticket", ticket_id=ticket.public_id)
    return render(request, "support/centre/new.html", {"form": form}, status=400 if form.errors else 200)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def support_ticket(request, ticket_id):
    ticket = get_object_or_404(
        SupportTicket.objects.for_centre(request.centre).select_related("raised_by"), public_id=ticket_id
    )
    form = SupportReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            support_ticket_reply_from_centre(
                ticket=ticket, author=request.user, body=form.cleaned_data["body"], request=request
            )
        except CentreServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your reply has been sent to the platform team.")
            return redirect("centres:support_ticket", ticket_id=ticket.public_id)
    context = {
        "ticket": ticket,
        "replies": ticket.replies.select_related("author"),
        "form": form,
        "status_tag": ticket_status_tag(ticket.status),
    }
    return render(request, "support/centre/ticket.html", context, status=400 if form.errors else 200)
