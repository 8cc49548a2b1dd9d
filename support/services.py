"""Support tickets (C13): a centre raises one and replies, platform staff answer and close it."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from centres.audit import audit_record
from centres.models import Centre
from centres.selectors.memberships import contact_email
from centres.selectors.notifications import subscribers
from centres.services.errors import CentreServiceError
from notifications.models import NotificationKind
from notifications.services import email_send
from support.models import SupportTicket, SupportTicketReply

SUPPORT_TEXT_MAX_LENGTH = 5000


def _support_text(body: str, *, what: str) -> str:
    body = body.strip()
    if not body:
        raise CentreServiceError(f"Enter {what}")
    if len(body) > SUPPORT_TEXT_MAX_LENGTH:
        raise CentreServiceError(f"{what.capitalize()} must be {SUPPORT_TEXT_MAX_LENGTH} characters or fewer")
    return body


def _email_platform_support(*, ticket: SupportTicket, template: str, reply: SupportTicketReply | None = None):
    address = settings.PLATFORM_SUPPORT_EMAIL
    if not address:
        return
    email_send(
        to=[address],
        template=template,
        context={
            "ticket": ticket,
            "reply": reply,
            "centre": ticket.centre,
            "ticket_url": settings.SITE_URL
            + reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id}),
        },
        centre=ticket.centre,
    )


@transaction.atomic
def support_ticket_raise(
    *, centre: Centre, raised_by, subject: str, detail: str, category: str, request=None
) -> SupportTicket:
    """C13: a centre manager or administrator asks the platform team for help; the platform
    support address is emailed."""
    subject = subject.strip()
    if not subject:
        raise CentreServiceError("Enter a subject")
    if len(subject) > SupportTicket._meta.get_field("subject").max_length:
        raise CentreServiceError("Subject must be 200 characters or fewer")
    detail = _support_text(detail, what="the details of your problem")
    if category not in SupportTicket.Category.values:
        raise CentreServiceError("Select what your question is about")
    ticket = SupportTicket.objects.create(
        centre=centre, raised_by=raised_by, subject=subject, detail=detail, category=category
    )
    audit_record(
        actor=raised_by,
        centre=centre,
        action="support.ticket_raised",
        target=ticket,
        summary=f"Support ticket raised: {subject}",
        request=request,
    )
    _email_platform_support(ticket=ticket, template="support/emails/ticket_raised")
    return ticket


@transaction.atomic
def support_ticket_reply_from_centre(*, ticket: SupportTicket, author, body: str, request=None) -> SupportTicketReply:
    """Someone at the ticket's centre adds to it: it opens again for the platform team."""
    body = _support_text(body, what="your reply")
    reply = SupportTicketReply.objects.create(
        centre=ticket.centre, ticket=ticket, author=author, from_platform_team=False, body=body
    )
    ticket.status = SupportTicket.Status.OPEN
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=author,
        centre=ticket.centre,
        action="support.ticket_replied",
        target=ticket,
        summary=f"Reply added to support ticket: {ticket.subject}",
        request=request,
    )
    _email_platform_support(ticket=ticket, reply=reply, template="support/emails/ticket_centre_reply")
    return reply


@transaction.atomic
def support_ticket_answer(*, ticket: SupportTicket, author, body: str, request=None) -> SupportTicketReply:
    """C13: platform staff answer. The ticket becomes "answered"; the person who raised it
    and everyone at the centre subscribed to support ticket alerts are emailed (one each)."""
    if not author.is_staff:
        raise CentreServiceError("Only the platform team can answer support tickets")
    body = _support_text(body, what="your answer")
    reply = SupportTicketReply.objects.create(
        centre=ticket.centre, ticket=ticket, author=author, from_platform_team=True, body=body
    )
    ticket.status = SupportTicket.Status.ANSWERED
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=author,
        centre=ticket.centre,
        action="support.ticket_answered",
        target=ticket,
        summary=f"Platform team answered support ticket: {ticket.subject}",
        request=request,
    )
    recipients = {contact_email(user=ticket.raised_by, centre=ticket.centre)} if ticket.raised_by.is_active else set()
    recipients |= set(subscribers(ticket.centre, NotificationKind.SUPPORT_TICKET))
    for address in sorted(recipients):
        email_send(
            to=[address],
            template="support/emails/ticket_answered",
            context={
                "ticket": ticket,
                "reply": reply,
                "centre": ticket.centre,
                "ticket_url": settings.SITE_URL
                + reverse("centres:support_ticket", kwargs={"ticket_id": ticket.public_id}),
            },
            centre=ticket.centre,
        )
    return reply


@transaction.atomic
def support_ticket_close(*, ticket: SupportTicket, closed_by, request=None) -> SupportTicket:
    if not closed_by.is_staff:
        raise CentreServiceError("Only the platform team can close support tickets")
    if ticket.status == SupportTicket.Status.CLOSED:
        raise CentreServiceError("This ticket is already closed")
    ticket.status = SupportTicket.Status.CLOSED
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=closed_by,
        centre=ticket.centre,
        action="support.ticket_closed",
        target=ticket,
        summary=f"Support ticket closed: {ticket.subject}",
        request=request,
    )
    return ticket
