"""P6: the learner asks one of their supervisors to confirm some Achieved results; resends the
email (not within an hour of the last one) or withdraws the request."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from centres.audit import audit_record
from notifications.selectors import notification_wanted
from notifications.services import email_send
from passports.models import ConfirmationItem, ConfirmationRequest, Enrolment, Result, ResultStatus
from passports.notifications import CONFIRMATION_REQUESTED
from passports.selectors.staff import holds_supervising_role
from passports.services.assessment import enrolment_check_writable
from passports.services.errors import PassportError

RESEND_AFTER = timedelta(hours=1)
# Results the learner may send for confirmation (a rejected one again, once worked on).
REQUESTABLE_STATUSES = (ResultStatus.SELF_ASSESSED, ResultStatus.REJECTED)


def supervisor_review_path(confirmation_request: ConfirmationRequest) -> str:
    """The supervisor's review page (P7 builds it; the learner area only links to it)."""
    return f"/passports/supervise/requests/{confirmation_request.public_id}/"


def confirmation_request_resend_at(confirmation_request: ConfirmationRequest):
    """When the supervisor may next be emailed about this request."""
    return confirmation_request.last_sent_at + RESEND_AFTER


def _email_supervisor(*, confirmation_request: ConfirmationRequest, results: list[Result], resend: bool) -> None:
    enrolment = confirmation_request.enrolment
    supervisor = confirmation_request.supervisor
    if not notification_wanted(user=supervisor, centre=enrolment.centre, kind=CONFIRMATION_REQUESTED):
        return  # their preference is off; the request is on their to-do list all the same
    learner = enrolment.membership.user
    email_send(
        to=[supervisor.email],
        template="passports/emails/confirmation_request",
        context={
            "supervisor_name": supervisor.first_name or supervisor.get_full_name() or supervisor.email,
            "learner_name": learner.get_full_name() or learner.email,
            "framework_name": enrolment.framework.name,
            "centre_name": enrolment.centre.name,
            "proficiencies": [
                {"position": result.proficiency.position, "name": result.proficiency.name} for result in results
            ],
            "review_path": supervisor_review_path(confirmation_request),
            "resend": resend,
        },
        centre=enrolment.centre,
    )


def _still_supervises(user, *, centre) -> bool:
    """Results go only to someone who holds an educator or assessor role at the centre now."""
    return type(user).objects.filter(holds_supervising_role(centre=centre), pk=user.pk, is_active=True).exists()


@transaction.atomic
def confirmation_request_create(
    *, enrolment: Enrolment, supervisor, results: list[Result], actor, request=None
) -> ConfirmationRequest:
    """Ask `supervisor` (a user who is one of the enrolment's supervisors) to confirm
    `results`: each must be answered Achieved and not already requested or confirmed."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("centre", "framework", "membership__user")
        .get(pk=enrolment.pk)
    )
    enrolment_check_writable(enrolment)
    if supervisor is None or not supervisor.is_active or not enrolment.supervisors.filter(user=supervisor).exists():
        raise PassportError("Choose one of your supervisors for this passport")
    if not _still_supervises(supervisor, centre=enrolment.centre):
        raise PassportError("That supervisor no longer assesses at this centre: choose another supervisor")
    if not results:
        raise PassportError("Select at least one proficiency to send for confirmation")
    locked = list(
        Result.objects.select_for_update()
        .filter(enrolment=enrolment, pk__in=[result.pk for result in results])
        .select_related("proficiency")
        .order_by("proficiency__position")
    )
    if len(locked) != len({result.pk for result in results}):
        raise PassportError("Some of the selected proficiencies are not part of this passport")
    for result in locked:
        if result.answer != Result.Answer.ACHIEVED:
            raise PassportError(f"“{result.proficiency.name}” is not self-assessed as Achieved, so it cannot be sent")
        if result.status not in REQUESTABLE_STATUSES:
            raise PassportError(
                f"“{result.proficiency.name}” is already {result.get_status_display().lower()}, so it cannot be sent"
            )
    now = timezone.now()
    confirmation_request = ConfirmationRequest.objects.create(
        centre=enrolment.centre, enrolment=enrolment, supervisor=supervisor, last_sent_at=now
    )
    ConfirmationItem.objects.bulk_create(
        [ConfirmationItem(centre=enrolment.centre, request=confirmation_request, result=result) for result in locked]
    )
    for result in locked:
        result.status = ResultStatus.REQUESTED
    bulk_update_with_history(locked, Result, ["status"], default_user=actor)
    enrolment.last_active_at = now
    enrolment.save(update_fields=["last_active_at"])
    _email_supervisor(confirmation_request=confirmation_request, results=locked, resend=False)
    audit_record(
        actor=actor,
        centre=enrolment.centre,
        action="passport.confirmation_requested",
        target=confirmation_request,
        summary=(
            f"Asked {supervisor.get_full_name() or supervisor.email} to confirm {len(locked)} "
            f"{'proficiency' if len(locked) == 1 else 'proficiencies'} of {enrolment.framework.name}"
        ),
        request=request,
    )
    return confirmation_request


def _open_request_for_update(confirmation_request: ConfirmationRequest) -> ConfirmationRequest:
    locked = (
        ConfirmationRequest.objects.select_for_update()
        .select_related("enrolment__centre", "enrolment__framework", "enrolment__membership__user", "supervisor")
        .get(pk=confirmation_request.pk)
    )
    enrolment_check_writable(locked.enrolment)
    if locked.status != ConfirmationRequest.Status.OPEN:
        raise PassportError(f"This request is already {locked.get_status_display().lower()}")
    return locked


@transaction.atomic
def confirmation_request_resend(
    *, confirmation_request: ConfirmationRequest, actor, request=None
) -> ConfirmationRequest:
    """Email the supervisor again about the items still pending; not within an hour."""
    confirmation_request = _open_request_for_update(confirmation_request)
    now = timezone.now()
    available_at = confirmation_request_resend_at(confirmation_request)
    if now < available_at:
        local = timezone.localtime(available_at)
        raise PassportError(f"You can resend this request from {local:%H:%M} on {local:%-d %B %Y}")
    pending = [
        item.result
        for item in confirmation_request.items.filter(outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("result__proficiency")
        .order_by("result__proficiency__position")
    ]
    if not pending:
        raise PassportError("Nothing in this request is waiting for confirmation")
    if not _still_supervises(confirmation_request.supervisor, centre=confirmation_request.centre_id):
        raise PassportError(
            "This supervisor no longer assesses at this centre. Withdraw the request and send it to another supervisor."
        )
    confirmation_request.last_sent_at = now
    confirmation_request.save(update_fields=["last_sent_at"])
    enrolment = confirmation_request.enrolment
    enrolment.last_active_at = now
    enrolment.save(update_fields=["last_active_at"])
    _email_supervisor(confirmation_request=confirmation_request, results=pending, resend=True)
    audit_record(
        actor=actor,
        centre=enrolment.centre,
        action="passport.confirmation_resent",
        target=confirmation_request,
        summary=f"Resent a confirmation request to {confirmation_request.supervisor.get_full_name()}",
        request=request,
    )
    return confirmation_request


@transaction.atomic
def confirmation_request_withdraw(
    *, confirmation_request: ConfirmationRequest, actor, request=None
) -> ConfirmationRequest:
    """Withdraw the request: pending items withdrawn, their results self-assessed again."""
    confirmation_request = _open_request_for_update(confirmation_request)
    now = timezone.now()
    items = list(
        confirmation_request.items.filter(outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("result")
        .select_for_update(of=("self",))
    )
    ConfirmationItem.objects.filter(pk__in=[item.pk for item in items]).update(
        outcome=ConfirmationItem.Outcome.WITHDRAWN, decided_at=now
    )
    results = [item.result for item in items if item.result.status == ResultStatus.REQUESTED]
    for result in results:
        result.status = ResultStatus.SELF_ASSESSED
    if results:
        bulk_update_with_history(results, Result, ["status"], default_user=actor)
    confirmation_request.status = ConfirmationRequest.Status.WITHDRAWN
    confirmation_request.closed_at = now
    confirmation_request.save(update_fields=["status", "closed_at"])
    enrolment = confirmation_request.enrolment
    enrolment.last_active_at = now
    enrolment.save(update_fields=["last_active_at"])
    audit_record(
        actor=actor,
        centre=enrolment.centre,
        action="passport.confirmation_withdrawn",
        target=confirmation_request,
        summary=f"Withdrew a confirmation request ({len(items)} pending)",
        request=request,
    )
    return confirmation_request
