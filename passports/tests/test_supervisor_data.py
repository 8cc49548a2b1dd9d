"""Test data for the supervisor (P7) and sign-off (P8) tests: a learner whose Achieved results
were sent for confirmation, built directly with model writes (the learner pages that create
requests are another area's). No tests here."""

from dataclasses import dataclass

from django.utils import timezone

from centres.roles import Role
from passports.models import (
    ConfirmationItem,
    ConfirmationRequest,
    Enrolment,
    Result,
    ResultStatus,
    Supervisor,
)
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import MembershipFactory


@dataclass
class World:
    centre: object
    learner: object  # Membership
    educator: object  # Membership (enrolled the learner; a supervisor)
    assessor: object  # Membership (a supervisor the learner chose)
    enrolment: Enrolment


def world_build(*, centre, sections: int = 2, per_section: int = 5, learner=None) -> World:
    version = framework_version_build(sections=sections, per_section=per_section)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    enrolment = enrolment_build(centre=centre, version=version, learner=learner, educator=educator)
    Supervisor.objects.create(
        centre=centre, enrolment=enrolment, user=assessor.user, added_by=enrolment.membership.user
    )
    return World(centre=centre, learner=enrolment.membership, educator=educator, assessor=assessor, enrolment=enrolment)


def results_answer(enrolment: Enrolment, results=None, *, status=ResultStatus.SELF_ASSESSED) -> list[Result]:
    results = list(results if results is not None else enrolment.results.order_by("proficiency__position"))
    now = timezone.now()
    for result in results:
        result.answer = Result.Answer.ACHIEVED
        result.assessed_at = now
        result.status = status
        result.save()
    return results


def request_build(enrolment: Enrolment, supervisor, results=None) -> ConfirmationRequest:
    """An open request to `supervisor` (a User) for `results` (default: every result)."""
    results = results_answer(enrolment, results, status=ResultStatus.REQUESTED)
    request = ConfirmationRequest.objects.create(
        centre=enrolment.centre, enrolment=enrolment, supervisor=supervisor, last_sent_at=timezone.now()
    )
    ConfirmationItem.objects.bulk_create(
        [ConfirmationItem(centre=enrolment.centre, request=request, result=result) for result in results]
    )
    return request


def all_confirmed(enrolment: Enrolment, reviewer) -> None:
    now = timezone.now()
    enrolment.results.update(
        answer=Result.Answer.ACHIEVED,
        assessed_at=now,
        status=ResultStatus.CONFIRMED,
        reviewed_by=reviewer,
        reviewed_at=now,
        reviewer_comment="",
    )
