"""P4 self-assessment service: the result state rules shared with the supervisor area."""

from datetime import timedelta

import pytest
from django.utils import timezone

from centres.models import AuditEvent
from passports.models import ConfirmationItem, ConfirmationRequest, Result, ResultStatus
from passports.services.assessment import result_assess
from passports.services.confirmation import confirmation_request_create
from passports.services.errors import PassportError
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=1, per_section=3))


def _results(enrolment) -> list[Result]:
    return list(enrolment.results.order_by("proficiency__position"))


def _educator(enrolment):
    return enrolment.supervisors.get().user


def test_first_answer_self_assesses_and_starts_the_enrolment(enrolment):
    learner = enrolment.membership.user
    result = _results(enrolment)[0]
    result_assess(result=result, answer="achieved", action_plan="  Shown on ward 3 ", actor=learner)
    result.refresh_from_db()
    enrolment.refresh_from_db()
    assert (result.status, result.answer, result.action_plan) == ("self_assessed", "achieved", "Shown on ward 3")
    assert result.assessed_at is not None
    assert enrolment.started_at is not None
    assert enrolment.last_active_at is not None
    assert AuditEvent.objects.filter(action="passport.result_assessed", actor=learner).exists()


def test_history_records_the_actor(enrolment):
    learner = enrolment.membership.user
    result = _results(enrolment)[0]
    result_assess(result=result, answer="ongoing", action_plan="", actor=learner)
    newest = result.history.order_by("-history_date", "-history_id").first()
    assert newest.history_user == learner
    assert newest.status == "self_assessed"
    assert newest.answer == "ongoing"


@pytest.mark.parametrize("answer", ["", "maybe", "ACHIEVED"])
def test_an_answer_other_than_achieved_or_ongoing_is_refused(enrolment, answer):
    with pytest.raises(PassportError, match="Select Achieved or Ongoing"):
        result_assess(result=_results(enrolment)[0], answer=answer, action_plan="", actor=enrolment.membership.user)


def test_a_very_long_note_is_refused(enrolment):
    with pytest.raises(PassportError, match="2000 characters"):
        result_assess(
            result=_results(enrolment)[0], answer="ongoing", action_plan="x" * 2001, actor=enrolment.membership.user
        )


def test_a_locked_enrolment_refuses_answers(enrolment):
    enrolment.signed_off_at = timezone.now()
    enrolment.save()
    result = _results(enrolment)[0]
    with pytest.raises(PassportError, match="signed off"):
        result_assess(result=result, answer="achieved", action_plan="", actor=enrolment.membership.user)
    result.refresh_from_db()
    assert result.status == "not_assessed"


def _request(enrolment, results):
    learner = enrolment.membership.user
    for result in results:
        result_assess(result=result, answer="achieved", action_plan="", actor=learner)
    return confirmation_request_create(
        enrolment=enrolment, supervisor=_educator(enrolment), results=results, actor=learner
    )


def test_changing_the_answer_withdraws_its_pending_item_and_the_emptied_request(enrolment):
    first = _results(enrolment)[0]
    request = _request(enrolment, [first])
    result_assess(result=first, answer="ongoing", action_plan="", actor=enrolment.membership.user)
    first.refresh_from_db()
    request.refresh_from_db()
    assert first.status == "self_assessed"
    assert request.items.get().outcome == "withdrawn"
    assert request.status == "withdrawn"
    assert request.closed_at is not None


def test_changing_the_note_withdraws_only_that_item(enrolment):
    first, second, _ = _results(enrolment)
    request = _request(enrolment, [first, second])
    result_assess(result=first, answer="achieved", action_plan="A new note", actor=enrolment.membership.user)
    request.refresh_from_db()
    assert request.status == "open"
    outcomes = dict(request.items.values_list("result_id", "outcome"))
    assert outcomes == {first.pk: "withdrawn", second.pk: "pending"}
    second.refresh_from_db()
    assert second.status == "requested"


def test_saving_without_a_change_keeps_the_request(enrolment):
    first = _results(enrolment)[0]
    request = _request(enrolment, [first])
    result_assess(result=first, answer="achieved", action_plan="", actor=enrolment.membership.user)
    first.refresh_from_db()
    assert first.status == "requested"
    assert ConfirmationItem.objects.get(request=request).outcome == "pending"
    assert ConfirmationRequest.objects.get(pk=request.pk).status == "open"


def _confirm(result, by):
    """What the supervisor area's confirm does to the result (P7)."""
    result.refresh_from_db()
    result.status = ResultStatus.CONFIRMED
    result.reviewed_by = by
    result.reviewed_at = timezone.now() - timedelta(days=1)
    result.reviewer_comment = "Well done"
    result._history_user = by
    result.save()


def test_changing_a_confirmed_answer_makes_it_self_assessed_and_history_keeps_the_review(enrolment):
    learner = enrolment.membership.user
    result = _results(enrolment)[0]
    result_assess(result=result, answer="achieved", action_plan="", actor=learner)
    _confirm(result, _educator(enrolment))
    result_assess(result=result, answer="ongoing", action_plan="", actor=learner)
    result.refresh_from_db()
    assert result.status == "self_assessed"
    assert result.reviewed_by is None
    assert result.reviewer_comment == ""
    statuses = list(result.history.order_by("-history_date", "-history_id").values_list("status", "history_user"))
    assert statuses[0] == ("self_assessed", learner.pk)
    assert statuses[1] == ("confirmed", _educator(enrolment).pk)


def test_changing_only_the_note_of_a_confirmed_result_keeps_the_confirmation(enrolment):
    learner = enrolment.membership.user
    result = _results(enrolment)[0]
    result_assess(result=result, answer="achieved", action_plan="", actor=learner)
    _confirm(result, _educator(enrolment))
    result_assess(result=result, answer="achieved", action_plan="Evidence in my portfolio", actor=learner)
    result.refresh_from_db()
    assert result.status == "confirmed"
    assert result.action_plan == "Evidence in my portfolio"


def test_changing_a_rejected_answer_makes_it_self_assessed(enrolment):
    learner = enrolment.membership.user
    result = _results(enrolment)[0]
    result_assess(result=result, answer="achieved", action_plan="", actor=learner)
    Result.objects.filter(pk=result.pk).update(status=ResultStatus.REJECTED, reviewer_comment="Practise more")
    result_assess(result=result, answer="ongoing", action_plan="Booked a session", actor=learner)
    result.refresh_from_db()
    assert result.status == "self_assessed"
    assert result.reviewer_comment == ""
