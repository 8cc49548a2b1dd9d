"""P4 self-assessment: the learner answers a proficiency Achieved or Ongoing, with an optional
note. The state rules (shared with the supervisor area) are in the brief and the README:

- not assessed -> self-assessed on the first answer;
- a result waiting for confirmation (a pending item) whose answer or note changes: the item is
  withdrawn (and its request too when nothing is left pending), the result is self-assessed;
- a confirmed or rejected result whose answer changes is self-assessed again (simple-history
  keeps the old review); a changed note alone keeps the review;
- nothing is written while the enrolment is signed off (locked).
"""

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from passports.models import ConfirmationItem, ConfirmationRequest, Enrolment, Result, ResultStatus
from passports.services.errors import PassportError

ACTION_PLAN_MAX_LENGTH = 2000
LOCKED_MESSAGE = "This passport has been signed off, so its answers cannot be changed"


def enrolment_check_writable(enrolment: Enrolment) -> None:
    """Refuse any learner write on a signed-off (locked) or removed enrolment."""
    if enrolment.is_locked:
        raise PassportError(LOCKED_MESSAGE)
    if enrolment.removed_at is not None:
        raise PassportError("You are no longer enrolled on this passport")


def pending_items_withdraw(*, results: list[Result], now) -> list[ConfirmationRequest]:
    """Withdraw the pending confirmation items of `results`; a request left with no pending
    item becomes withdrawn. Returns the requests that closed. Callers update the results."""
    items = list(
        ConfirmationItem.objects.filter(result__in=results, outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("request")
        .select_for_update()
    )
    if not items:
        return []
    ConfirmationItem.objects.filter(pk__in=[item.pk for item in items]).update(
        outcome=ConfirmationItem.Outcome.WITHDRAWN, decided_at=now
    )
    request_ids = {item.request_id for item in items}
    still_pending = set(
        ConfirmationItem.objects.filter(request_id__in=request_ids, outcome=ConfirmationItem.Outcome.PENDING)
        .values_list("request_id", flat=True)
        .distinct()
    )
    emptied = [item.request for item in items if item.request_id not in still_pending]
    closed = {request.pk: request for request in emptied if request.status == ConfirmationRequest.Status.OPEN}
    if closed:
        ConfirmationRequest.objects.filter(pk__in=list(closed)).update(
            status=ConfirmationRequest.Status.WITHDRAWN, closed_at=now
        )
    return list(closed.values())


@transaction.atomic
def result_assess(*, result: Result, answer: str, action_plan: str = "", actor, request=None) -> Result:
    """Save the learner's answer ("achieved" or "ongoing") and note for one result."""
    if answer not in Result.Answer.values:
        raise PassportError("Select Achieved or Ongoing")
    action_plan = (action_plan or "").strip()
    if len(action_plan) > ACTION_PLAN_MAX_LENGTH:
        raise PassportError(f"Your note must be {ACTION_PLAN_MAX_LENGTH} characters or fewer")
    # Lock order as in confirmation_request_create: the enrolment, then its results.
    enrolment = Enrolment.objects.select_for_update().get(pk=result.enrolment_id)
    result = Result.objects.select_for_update().select_related("proficiency").get(pk=result.pk)
    enrolment_check_writable(enrolment)

    now = timezone.now()
    answer_changed = answer != result.answer
    note_changed = action_plan != result.action_plan
    if not answer_changed and not note_changed and result.status != ResultStatus.NOT_ASSESSED:
        enrolment.last_active_at = now
        enrolment.save(update_fields=["last_active_at"])
        return result  # nothing changed: a pending request or a review stands

    previous = result.get_status_display()
    if result.status == ResultStatus.REQUESTED:
        pending_items_withdraw(results=[result], now=now)
        result.status = ResultStatus.SELF_ASSESSED
    elif result.status in (ResultStatus.CONFIRMED, ResultStatus.REJECTED):
        if answer_changed:
            result.status = ResultStatus.SELF_ASSESSED
            result.reviewed_by = None
            result.reviewed_at = None
            result.reviewer_comment = ""
            result.confirmed_at_centre = None
    else:
        result.status = ResultStatus.SELF_ASSESSED
    result.answer = answer
    result.action_plan = action_plan
    result.assessed_at = now
    result._history_user = actor
    result.save()

    if enrolment.started_at is None:
        enrolment.started_at = now
    enrolment.last_active_at = now
    enrolment.save(update_fields=["started_at", "last_active_at"])
    audit_record(
        actor=actor,
        centre=enrolment.centre,
        action="passport.result_assessed",
        target=enrolment,
        summary=(
            f"Self-assessed {result.proficiency.position}. {result.proficiency.name[:200]} as "
            f"{result.get_answer_display()} (was {previous}, now {result.get_status_display()})"
        ),
        request=request,
    )
    return result


@transaction.atomic
def results_assess(*, enrolment: Enrolment, results: list[Result], answer: str, actor, request=None) -> int:
    """Mark several results of one enrolment Achieved or Ongoing at once (the section page's
    ticked proficiencies), each keeping its note, by the rules of `result_assess`. Returns how
    many changed; answering what is already answered so (a second submit) changes nothing."""
    if answer not in Result.Answer.values:
        raise PassportError("Select Achieved or Ongoing")
    if not results:
        raise PassportError("Select at least one proficiency to mark")
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment_check_writable(enrolment)
    locked = list(
        Result.objects.select_for_update()
        .filter(enrolment=enrolment, pk__in=[result.pk for result in results])
        .select_related("proficiency")
        .order_by("proficiency__position")
    )
    changed = [result for result in locked if result.answer != answer or result.status == ResultStatus.NOT_ASSESSED]
    now = timezone.now()
    enrolment.last_active_at = now
    if not changed:
        enrolment.save(update_fields=["last_active_at"])
        return 0
    pending_items_withdraw(results=[r for r in changed if r.status == ResultStatus.REQUESTED], now=now)
    for result in changed:
        if result.status in (ResultStatus.CONFIRMED, ResultStatus.REJECTED):
            result.reviewed_by = None
            result.reviewed_at = None
            result.reviewer_comment = ""
            result.confirmed_at_centre = None
        result.status = ResultStatus.SELF_ASSESSED
        result.answer = answer
        result.assessed_at = now
        result._history_user = actor
        result.save()  # one history row each, as for one answer
    if enrolment.started_at is None:
        enrolment.started_at = now
    enrolment.save(update_fields=["started_at", "last_active_at"])
    positions = ", ".join(str(result.proficiency.position) for result in changed)
    audit_record(
        actor=actor,
        centre=enrolment.centre,
        action="passport.result_assessed",
        target=enrolment,
        summary=f"Self-assessed {len(changed)} proficiencies as {Result.Answer(answer).label} ({positions})",
        request=request,
    )
    return len(changed)
