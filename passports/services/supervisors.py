"""P5: the learner chooses who may confirm their results (educators and assessors at the
centre). The enrolling educator is always one of them."""

from django.db import IntegrityError, transaction

from centres.audit import audit_record
from centres.roles import Permission
from core.exceptions import ServiceError
from passports.models import ConfirmationRequest, Enrolment, SignOff, Supervisor
from passports.services.confirmation import confirmation_request_withdraw
from passports.services.signoff import signoff_withdraw


class SupervisorError(ServiceError):
    """A supervisor change the rules refuse; the message is shown to the person."""


def _check_learner(*, enrolment: Enrolment, user) -> None:
    if enrolment.membership.user_id != user.pk:
        raise SupervisorError("Only the learner can change the supervisors of their passport")
    if enrolment.removed_at is not None:
        raise SupervisorError("This enrolment has been removed")


@transaction.atomic
def supervisor_add(*, enrolment: Enrolment, user, added_by, request=None) -> Supervisor:
    """The learner (`added_by`) adds `user`, who must hold an educator or assessor role at
    the enrolment's centre."""
    _check_learner(enrolment=enrolment, user=added_by)
    name = user.get_full_name()
    if user.pk == added_by.pk:
        raise SupervisorError("You cannot supervise your own passport")
    if not user.is_active or not user.has_perm(Permission.ASSESS.value, enrolment.centre):
        raise SupervisorError(f"{name} is not an educator or assessor at this centre")
    if Supervisor.objects.for_centre(enrolment.centre).filter(enrolment=enrolment, user=user).exists():
        raise SupervisorError(f"{name} is already one of your supervisors")
    try:
        with transaction.atomic():
            supervisor = Supervisor.objects.create(
                centre=enrolment.centre, enrolment=enrolment, user=user, added_by=added_by
            )
    except IntegrityError as error:  # added twice at the same moment
        raise SupervisorError(f"{name} is already one of your supervisors") from error
    audit_record(
        actor=added_by,
        centre=enrolment.centre,
        action="supervisor.added",
        target=enrolment,
        summary=f"{name} added as a supervisor of {added_by.get_full_name()} on {enrolment.framework.name}",
        request=request,
    )
    return supervisor


@transaction.atomic
def supervisor_remove(*, supervisor: Supervisor, removed_by, request=None) -> None:
    """The learner removes a supervisor; never the enrolling educator."""
    enrolment = supervisor.enrolment
    _check_learner(enrolment=enrolment, user=removed_by)
    if supervisor.is_enrolling_educator:
        raise SupervisorError(
            f"{supervisor.user.get_full_name()} enrolled you on this passport, so cannot be removed as a supervisor"
        )
    audit_record(
        actor=removed_by,
        centre=enrolment.centre,
        action="supervisor.removed",
        target=enrolment,
        summary=(
            f"{supervisor.user.get_full_name()} removed as a supervisor of {removed_by.get_full_name()} "
            f"on {enrolment.framework.name}"
        ),
        request=request,
    )
    # What was waiting for this person can no longer reach them: take it back, so the results
    # can be sent to someone else.

    for waiting in enrolment.confirmation_requests.filter(
        supervisor=supervisor.user, status=ConfirmationRequest.Status.OPEN
    ):
        confirmation_request_withdraw(confirmation_request=waiting, actor=removed_by, request=request)
    for waiting in enrolment.sign_offs.filter(educator=supervisor.user, status=SignOff.Status.REQUESTED):
        signoff_withdraw(sign_off=waiting, actor=removed_by, http_request=request)
    supervisor.delete()
