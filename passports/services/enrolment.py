"""P3 enrolment (with P11 portable confirmations) and its removal."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from centres.audit import audit_record
from centres.models import Centre, Membership
from centres.roles import Permission
from centres.selectors.memberships import contact_email
from core.exceptions import ServiceError
from notifications.services import email_send
from passports.models import Enrolment, Framework, FrameworkVersion, Result, ResultStatus, Supervisor
from submissions.races import unique_race_retried

RESULT_BATCH = 1000


class EnrolmentError(ServiceError):
    """An enrolment change the rules refuse; the message is shown to the person."""


def _learner_home_url() -> str:
    """The learner's passport pages, once that area exists (P4 builds them)."""
    try:
        return settings.SITE_URL + reverse("passports:learner_home")
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def confirmations_elsewhere(*, centre: Centre, membership: Membership, framework: Framework) -> dict:
    """P11: the learner's (same login's) confirmed results on `framework` at other centres,
    any version, by `Proficiency.key`; the latest confirmation of each wins. One query.
    Only when the person made or accepted their record here themselves (`accepted_at`, see
    centres.ownership): a record a centre made does not pull in results from elsewhere."""
    if membership.accepted_at is None:
        return {}
    rows = (
        Result.objects.filter(
            enrolment__membership__user_id=membership.user_id,
            enrolment__framework=framework,
            status=ResultStatus.CONFIRMED,
        )
        .exclude(centre=centre)
        .values(
            "proficiency__key",
            "answer",
            "assessed_at",
            "reviewed_by_id",
            "reviewed_at",
            "reviewer_comment",
            "action_plan",
            "centre_id",
            "confirmed_at_centre_id",
        )
        .order_by("reviewed_at")
    )
    return {row["proficiency__key"]: row for row in rows}


@unique_race_retried
@transaction.atomic
def enrolment_create(
    *,
    centre: Centre,
    membership: Membership,
    framework: Framework,
    complete_by: datetime.date | None,
    enrolled_by,
    request=None,
) -> Enrolment:
    """P3. Enrol an approved, active delegate of `centre` on the published version of
    `framework`: one result per proficiency (one bulk insert, with history), the enrolling
    educator as a supervisor who cannot be removed, an audit event and an email to the
    learner. P11: results the same person had confirmed on this framework at another centre
    start confirmed, naming that centre, with the reviewer's comment and the learner's note."""
    if membership.centre_id != centre.pk:
        raise EnrolmentError("This person is not registered at this centre")
    if not (membership.is_approved and membership.is_active):
        raise EnrolmentError(
            f"{membership.user.get_full_name()} must be an approved, active delegate at this centre to be enrolled"
        )
    if complete_by is not None and complete_by <= timezone.localdate():
        raise EnrolmentError("The complete-by date must be in the future", field="complete_by")
    version = FrameworkVersion.objects.filter(framework=framework, status=FrameworkVersion.Status.PUBLISHED).first()
    if version is None:
        raise EnrolmentError(f"{framework.name} has no published version to enrol on")
    # Lock the delegate record so two educators enrolling at once cannot both pass the check.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    current = Enrolment.objects.for_centre(centre).filter(membership=membership, framework=framework, removed_at=None)
    if current.exists():
        raise EnrolmentError(f"{membership.user.get_full_name()} is already enrolled on {framework.name}")

    enrolment = Enrolment.objects.create(
        centre=centre,
        membership=membership,
        framework=framework,
        version=version,
        enrolled_by=enrolled_by,
        complete_by=complete_by,
    )
    carried = confirmations_elsewhere(centre=centre, membership=membership, framework=framework)
    results = []
    for proficiency_id, key in version.proficiencies.values_list("pk", "key"):
        result = Result(centre=centre, enrolment=enrolment, proficiency_id=proficiency_id)
        previous = carried.get(key)
        if previous is not None:
            result.status = ResultStatus.CONFIRMED
            result.answer = previous["answer"] or Result.Answer.ACHIEVED
            result.assessed_at = previous["assessed_at"]
            result.reviewed_by_id = previous["reviewed_by_id"]
            result.reviewed_at = previous["reviewed_at"]
            result.reviewer_comment = previous["reviewer_comment"]
            # The learner's own note travels with the confirmed result (issue 16 item 12).
            result.action_plan = previous["action_plan"]
            result.confirmed_at_centre_id = previous["confirmed_at_centre_id"] or previous["centre_id"]
        results.append(result)
    bulk_create_with_history(
        results,
        Result,
        batch_size=RESULT_BATCH,
        default_user=enrolled_by,
        default_change_reason="Enrolled",
    )
    Supervisor.objects.create(
        centre=centre, enrolment=enrolment, user=enrolled_by, is_enrolling_educator=True, added_by=enrolled_by
    )
    carried_count = sum(1 for result in results if result.status == ResultStatus.CONFIRMED)
    learner = membership.user
    audit_record(
        actor=enrolled_by,
        centre=centre,
        action="enrolment.created",
        target=enrolment,
        summary=(
            f"Enrolled {learner.get_full_name()} ({membership.delegate_number}) on {version}"
            + (f", complete by {complete_by:%-d %B %Y}" if complete_by else "")
            + (f"; {carried_count} confirmed results carried from another centre" if carried_count else "")
        ),
        request=request,
    )
    email_send(
        to=[contact_email(user=learner, centre=centre)],
        template="passports/emails/enrolment_created",
        context={
            "learner": learner,
            "centre": centre,
            "framework": framework,
            "version": version,
            "complete_by": complete_by,
            "enrolled_by": enrolled_by,
            "carried_count": carried_count,
            "passport_url": _learner_home_url(),
        },
        centre=centre,
    )
    return enrolment


def enrolment_removal_blocker(*, enrolment: Enrolment, is_administrator: bool, is_educator: bool) -> str:
    """Why someone may not remove this enrolment ("" if they may). Educators may remove it
    only before the learner starts; afterwards only an administrator (MANAGE_DELEGATES) may.
    Views pass the request's permissions; `enrolment_remove` asks the user's own."""
    if enrolment.removed_at is not None:
        return "This enrolment has already been removed."
    if is_administrator:
        return ""
    if not is_educator:
        return "Only educators and administrators can remove enrolments."
    if enrolment.started_at is not None:
        return (
            f"{enrolment.membership.user.get_full_name()} has started this passport, so only an administrator "
            "can remove the enrolment."
        )
    return ""


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment, removed_by, request=None) -> Enrolment:
    """P3. Soft-remove: the results stay in the database, the enrolment no longer shows."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("membership__user", "centre", "framework")
        .get(pk=enrolment.pk)
    )
    blocker = enrolment_removal_blocker(
        enrolment=enrolment,
        is_administrator=removed_by.has_perm(Permission.MANAGE_DELEGATES.value, enrolment.centre),
        is_educator=removed_by.has_perm(Permission.SUPERVISE.value, enrolment.centre),
    )
    if blocker:
        raise EnrolmentError(blocker)
    enrolment.removed_at = timezone.now()
    enrolment.removed_by = removed_by
    enrolment.save(update_fields=["removed_at", "removed_by"])
    audit_record(
        actor=removed_by,
        centre=enrolment.centre,
        action="enrolment.removed",
        target=enrolment,
        summary=(
            f"Removed the enrolment of {enrolment.membership.user.get_full_name()} "
            f"({enrolment.membership.delegate_number}) on {enrolment.framework.name}"
            + (" after they had started" if enrolment.started_at else "")
        ),
        request=request,
    )
    return enrolment
