"""P7: a supervisor confirms or rejects the results of a confirmation request.

`results_review` is the one write: any mix of confirmations (optional comment) and rejections
(action plan required) of one request's pending items, in one transaction, with one summary
email to the learner.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from centres.audit import audit_record
from centres.roles import Permission
from centres.selectors.memberships import contact_email
from notifications.services import email_send
from passports.models import ConfirmationItem, ConfirmationRequest, Result, ResultStatus
from passports.services.errors import PassportError

COMMENT_MAX = 2000


@dataclass(frozen=True)
class ReviewSummary:
    confirmed: list[Result]
    rejected: list[Result]
    request_completed: bool


def _clean(text: str | None) -> str:
    return (text or "").strip()


@transaction.atomic
def results_review(
    *,
    confirmation_request: ConfirmationRequest,
    confirm: dict[int, str],
    reject: dict[int, str],
    actor,
    http_request=None,
) -> ReviewSummary:
    """Confirm the items in `confirm` ({item id: optional comment}) and reject the items in
    `reject` ({item id: action plan, required}). Only the request's supervisor, while they
    still hold ASSESS at the centre, may review; only pending items of an open request."""
    centre = confirmation_request.centre
    locked = (
        ConfirmationRequest.objects.for_centre(centre)
        .select_for_update()
        .select_related("enrolment__membership__user", "enrolment__framework")
        .get(pk=confirmation_request.pk)
    )
    if locked.supervisor_id != actor.pk:
        raise PassportError("Only the supervisor this request was sent to can confirm or reject its results")
    if not actor.has_perm(Permission.ASSESS.value, centre):
        raise PassportError("Your roles at this centre no longer let you confirm results")
    if locked.status != ConfirmationRequest.Status.OPEN:
        raise PassportError("This request has already been completed or withdrawn")
    enrolment = locked.enrolment
    if enrolment.is_locked:
        raise PassportError("This passport has been signed off, so its results cannot change")
    if set(confirm) & set(reject):
        raise PassportError("A result cannot be both confirmed and rejected")
    if not confirm and not reject:
        raise PassportError("Select at least one result to confirm or reject")
    if any(not _clean(plan) for plan in reject.values()):
        raise PassportError("Enter an action plan for each result you reject")
    for text in [*confirm.values(), *reject.values()]:
        if len(_clean(text)) > COMMENT_MAX:
            raise PassportError(f"Comments and action plans must be {COMMENT_MAX} characters or fewer")

    wanted = set(confirm) | set(reject)
    items = list(
        ConfirmationItem.objects.for_centre(centre)
        .filter(request=locked, pk__in=wanted, outcome=ConfirmationItem.Outcome.PENDING)
        .select_related("result__proficiency")
        .select_for_update(of=("self",))
        .order_by("result__proficiency__position")
    )
    if len(items) != len(wanted):
        raise PassportError(
            "Some of those results are no longer waiting for confirmation (the learner may have changed them)"
        )

    now = timezone.now()
    results = []
    confirmed, rejected = [], []
    for item in items:
        result = item.result
        if item.pk in confirm:
            item.outcome = ConfirmationItem.Outcome.CONFIRMED
            result.status = ResultStatus.CONFIRMED
            result.reviewer_comment = _clean(confirm[item.pk])
            confirmed.append(result)
        else:
            item.outcome = ConfirmationItem.Outcome.REJECTED
            result.status = ResultStatus.REJECTED
            result.reviewer_comment = _clean(reject[item.pk])
            rejected.append(result)
        item.decided_at = now
        result.reviewed_by = actor
        result.reviewed_at = now
        result.confirmed_at_centre = None
        results.append(result)
    ConfirmationItem.objects.bulk_update(items, ["outcome", "decided_at"])
    bulk_update_with_history(
        results,
        Result,
        ["status", "reviewer_comment", "reviewed_by", "reviewed_at", "confirmed_at_centre"],
        default_user=actor,
    )

    completed = not locked.items.filter(outcome=ConfirmationItem.Outcome.PENDING).exists()
    if completed:
        locked.status = ConfirmationRequest.Status.COMPLETED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])

    learner = enrolment.membership.user
    email_send(
        to=[contact_email(user=learner, centre=centre)],
        template="passports/emails/review_summary",
        context={
            "learner": learner,
            "supervisor": actor,
            "framework": enrolment.framework,
            "centre": centre,
            "confirmed": confirmed,
            "rejected": rejected,
            "request_completed": completed,
            "passport_path": reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id}),
        },
        centre=centre,
    )
    audit_record(
        actor=actor,
        centre=centre,
        action="passport.results_reviewed",
        target=locked,
        summary=(
            f"Reviewed {learner.get_full_name()}'s {enrolment.framework.name}: "
            f"{len(confirmed)} confirmed, {len(rejected)} rejected" + ("; request completed" if completed else "")
        ),
        request=http_request,
    )
    return ReviewSummary(confirmed=confirmed, rejected=rejected, request_completed=completed)
