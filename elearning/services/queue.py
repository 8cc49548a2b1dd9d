"""E4 writes: the central team (platform staff) works the request queue: notes (internal, or
public and emailed to whoever asked), and statuses open -> in progress -> completed or
rejected (ADR 0037). Completing a deactivate, remove or reinstate request changes the
person's status at the site (`services.staff.site_staff_status_apply`)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from elearning.models import AccountRequest, AccountRequestNote
from elearning.services.staff import site_staff_status_apply
from notifications.services import email_send

NOTE_MAX_LENGTH = 5000
Status = AccountRequest.Status
# status now -> the statuses it may move to
TRANSITIONS = {
    Status.OPEN: {Status.IN_PROGRESS, Status.REJECTED},
    Status.IN_PROGRESS: {Status.COMPLETED, Status.REJECTED, Status.OPEN},
    Status.COMPLETED: set(),
    Status.REJECTED: set(),
}


def _locked(account_request: AccountRequest) -> AccountRequest:
    return (
        AccountRequest.objects.select_for_update(of=("self",))
        .select_related("centre", "site_staff__user", "requested_by")
        .get(pk=account_request.pk)
    )


def _site_url(account_request: AccountRequest) -> str:
    path = reverse(
        "elearning:site_staff",
        kwargs={"site_id": account_request.centre.public_id, "staff_id": account_request.site_staff.public_id},
    )
    return settings.SITE_URL + path


def _requester_email(*, account_request: AccountRequest, template: str, context: dict) -> None:
    requester = account_request.requested_by
    if requester is None or not requester.email:
        return  # the platform raised it: nobody asked
    email_send(
        to=[requester.email],
        template=template,
        context={
            "account_request": account_request,
            "person": account_request.site_staff.user,
            "site": account_request.centre,
            "staff_url": _site_url(account_request),
            **context,
        },
        centre=account_request.centre,
    )


@transaction.atomic
def account_request_note_add(
    *, account_request: AccountRequest, author, body: str, is_public: bool, request=None
) -> AccountRequestNote:
    """A note on a request. A public note is emailed to whoever asked."""
    body = body.strip()
    if not body:
        raise ServiceError("Enter the note", field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise ServiceError(f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer", field="body")
    account_request = _locked(account_request)
    note = AccountRequestNote.objects.create(request=account_request, author=author, body=body, is_public=is_public)
    audit_record(
        actor=author,
        centre=account_request.centre,
        action="elearning.request_note_added",
        target=account_request,
        summary=f"{'Public' if is_public else 'Internal'} note added to {account_request.get_kind_display()} "
        f"for {account_request.site_staff.user.get_full_name()}",
        request=request,
    )
    if is_public:
        _requester_email(
            account_request=account_request, template="elearning/emails/request_note", context={"note": note}
        )
    return note


@transaction.atomic
def account_request_status_set(
    *, account_request: AccountRequest, status: str, decided_by, rejection_reason: str = "", request=None
) -> AccountRequest:
    """Move a request on. Invalid moves are refused with a message; rejecting needs a reason.
    Completing or rejecting emails whoever asked; completing a deactivate, remove or reinstate
    sets the person's status at the site."""
    account_request = _locked(account_request)
    if status not in Status.values:
        raise ServiceError("Select a status from the list", field="status")
    current = Status(account_request.status)
    if status == current:
        raise ServiceError(f"This request is already {current.label.lower()}.", field="status")
    if status not in TRANSITIONS[current]:
        raise ServiceError(
            f"A request that is {current.label.lower()} cannot be marked {Status(status).label.lower()}.",
            field="status",
        )
    rejection_reason = rejection_reason.strip()
    if status == Status.REJECTED and not rejection_reason:
        raise ServiceError("Enter why the request is rejected", field="rejection_reason")
    account_request.status = status
    fields = ["status", "updated_at"]
    if status in (Status.COMPLETED, Status.REJECTED):
        account_request.decided_by = decided_by
        account_request.decided_at = timezone.now()
        account_request.rejection_reason = rejection_reason if status == Status.REJECTED else ""
        fields += ["decided_by", "decided_at", "rejection_reason"]
    account_request.save(update_fields=fields)
    audit_record(
        actor=decided_by,
        centre=account_request.centre,
        action="elearning.request_status_changed",
        target=account_request,
        summary=f"{account_request.get_kind_display()} for {account_request.site_staff.user.get_full_name()} "
        f"marked {Status(status).label.lower()}" + (f": {rejection_reason}" if rejection_reason else ""),
        request=request,
    )
    if status == Status.COMPLETED:
        site_staff_status_apply(account_request=account_request, decided_by=decided_by, request=request)
    if status in (Status.COMPLETED, Status.REJECTED):
        _requester_email(account_request=account_request, template="elearning/emails/request_decided", context={})
    return account_request
