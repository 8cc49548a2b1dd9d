"""P6 confirmation requests: create, resend (not within an hour), withdraw."""

from datetime import timedelta

import pytest
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from notifications.models import OutboundEmail
from notifications.testing import subscribe
from passports.models import ConfirmationRequest, Result, ResultStatus
from passports.notifications import CONFIRMATION_REQUESTED
from passports.services.assessment import result_assess
from passports.services.confirmation import (
    confirmation_request_create,
    confirmation_request_resend,
    confirmation_request_withdraw,
)
from passports.services.errors import PassportError
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "passports/emails/confirmation_request"


@pytest.fixture
def enrolment():
    return enrolment_build(centre=CentreFactory(), version=framework_version_build(sections=2, per_section=2))


def _results(enrolment) -> list[Result]:
    return list(enrolment.results.select_related("proficiency").order_by("proficiency__position"))


def _educator(enrolment):
    return enrolment.supervisors.get().user


def _assessed(enrolment, answers: list[str]) -> list[Result]:
    results = _results(enrolment)
    for result, answer in zip(results, answers, strict=False):
        result_assess(result=result, answer=answer, action_plan="", actor=enrolment.membership.user)
    return _results(enrolment)


def _create(enrolment, results, supervisor=None):
    return confirmation_request_create(
        enrolment=enrolment,
        supervisor=supervisor or _educator(enrolment),
        results=results,
        actor=enrolment.membership.user,
    )


def test_request_marks_results_requested_and_emails_the_supervisor_once(enrolment):
    subscribe(_educator(enrolment), enrolment.centre, CONFIRMATION_REQUESTED)  # their preference on
    first, second, *_ = _assessed(enrolment, ["achieved", "achieved"])
    request = _create(enrolment, [first, second])
    assert request.status == "open"
    assert request.last_sent_at is not None
    assert sorted(request.items.values_list("outcome", flat=True)) == ["pending", "pending"]
    assert {r.status for r in _results(enrolment)[:2]} == {"requested"}
    email = OutboundEmail.objects.get(template=TEMPLATE)
    assert email.to == [_educator(enrolment).email]
    assert f"/passports/supervise/requests/{request.public_id}/" in email.text_body
    assert first.proficiency.name in email.text_body
    assert second.proficiency.name in email.text_body
    assert AuditEvent.objects.filter(action="passport.confirmation_requested").exists()


def test_request_history_records_the_learner(enrolment):
    first, *_ = _assessed(enrolment, ["achieved"])
    _create(enrolment, [first])
    newest = first.history.order_by("-history_date", "-history_id").first()
    assert newest.status == "requested"
    assert newest.history_user == enrolment.membership.user


def test_only_achieved_results_can_be_requested(enrolment):
    achieved, ongoing, unanswered, _ = _assessed(enrolment, ["achieved", "ongoing"])
    for result in (ongoing, unanswered):
        with pytest.raises(PassportError, match="not self-assessed as Achieved"):
            _create(enrolment, [achieved, result])
    assert not ConfirmationRequest.objects.exists()
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_requested_or_confirmed_results_cannot_be_requested_again(enrolment):
    first, second, *_ = _assessed(enrolment, ["achieved", "achieved"])
    _create(enrolment, [first])
    with pytest.raises(PassportError, match="already confirmation requested"):
        _create(enrolment, [_results(enrolment)[0]])
    Result.objects.filter(pk=second.pk).update(status=ResultStatus.CONFIRMED)
    with pytest.raises(PassportError, match="already confirmed"):
        _create(enrolment, [second])


def test_a_rejected_achieved_result_can_be_sent_again(enrolment):
    first, *_ = _assessed(enrolment, ["achieved"])
    Result.objects.filter(pk=first.pk).update(status=ResultStatus.REJECTED)
    request = _create(enrolment, [first])
    assert request.items.get().result_id == first.pk


def test_the_supervisor_must_supervise_this_enrolment(enrolment):
    first, *_ = _assessed(enrolment, ["achieved"])
    stranger = MembershipFactory(centre=enrolment.centre, role=Role.EDUCATOR).user
    with pytest.raises(PassportError, match="Choose one of your supervisors"):
        _create(enrolment, [first], supervisor=stranger)


def test_another_enrolments_results_are_refused(enrolment):
    other = enrolment_build(centre=enrolment.centre, version=enrolment.version)
    theirs = _assessed(other, ["achieved"])[0]
    with pytest.raises(PassportError, match="not part of this passport"):
        _create(enrolment, [theirs])


def test_nothing_selected_is_refused(enrolment):
    with pytest.raises(PassportError, match="at least one"):
        _create(enrolment, [])


def test_locked_enrolment_refuses_requests(enrolment):
    first, *_ = _assessed(enrolment, ["achieved"])
    request = _create(enrolment, [first])
    enrolment.signed_off_at = timezone.now()
    enrolment.save()
    with pytest.raises(PassportError, match="signed off"):
        _create(enrolment, [first])
    with pytest.raises(PassportError, match="signed off"):
        confirmation_request_withdraw(confirmation_request=request, actor=enrolment.membership.user)
    ConfirmationRequest.objects.filter(pk=request.pk).update(last_sent_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(PassportError, match="signed off"):
        confirmation_request_resend(confirmation_request=request, actor=enrolment.membership.user)


def test_resend_within_an_hour_is_refused_and_allowed_after(enrolment):
    subscribe(_educator(enrolment), enrolment.centre, CONFIRMATION_REQUESTED)  # their preference on
    first, *_ = _assessed(enrolment, ["achieved"])
    request = _create(enrolment, [first])
    learner = enrolment.membership.user
    with pytest.raises(PassportError, match="You can resend this request from"):
        confirmation_request_resend(confirmation_request=request, actor=learner)
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 1
    ConfirmationRequest.objects.filter(pk=request.pk).update(last_sent_at=timezone.now() - timedelta(minutes=61))
    resent = confirmation_request_resend(confirmation_request=request, actor=learner)
    assert resent.last_sent_at > timezone.now() - timedelta(minutes=1)
    emails = OutboundEmail.objects.filter(template=TEMPLATE).order_by("pk")
    assert emails.count() == 2
    assert emails.last().subject.startswith("Reminder:")


def test_withdraw_sets_items_results_and_request(enrolment):
    first, second, *_ = _assessed(enrolment, ["achieved", "achieved"])
    request = _create(enrolment, [first, second])
    learner = enrolment.membership.user
    confirmation_request_withdraw(confirmation_request=request, actor=learner)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert request.closed_at is not None
    assert set(request.items.values_list("outcome", flat=True)) == {"withdrawn"}
    results = _results(enrolment)[:2]
    assert {r.status for r in results} == {"self_assessed"}
    assert results[0].history.order_by("-history_date", "-history_id").first().history_user == learner
    with pytest.raises(PassportError, match="already withdrawn"):
        confirmation_request_withdraw(confirmation_request=request, actor=learner)
    # Withdrawn results can be sent again.
    assert _create(enrolment, results).items.count() == 2
