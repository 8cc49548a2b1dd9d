"""The "Confirmation requested" and "Sign-off requested" emails go only to people whose
preference is on; the request is on their to-do list either way (issue 13)."""

import pytest

from notifications.models import OutboundEmail
from notifications.testing import subscribe
from passports.notifications import CONFIRMATION_REQUESTED, SIGN_OFF_REQUESTED
from passports.selectors.supervisor import todo_page
from passports.services.confirmation import confirmation_request_create
from passports.services.signoff import signoff_request
from passports.tests.test_supervisor_data import all_confirmed, results_answer, world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


def _todo(world, user) -> list:
    return list(todo_page(centre=world.centre, user=user, can_sign_off=True, per_page=20, page_number=1))


def _ask_confirmation(world):
    results = results_answer(world.enrolment, list(world.enrolment.results.order_by("proficiency__position")[:2]))
    return confirmation_request_create(
        enrolment=world.enrolment, supervisor=world.assessor.user, results=results, actor=world.learner.user
    )


def _confirmation_emails(world) -> int:
    return OutboundEmail.objects.filter(
        template="passports/emails/confirmation_request", to=[world.assessor.user.email.lower()]
    ).count()


def _sign_off_emails() -> int:
    return OutboundEmail.objects.filter(template="passports/emails/signoff_requested").count()


def test_confirmation_requested_email_only_with_the_preference_on(world):
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 0
    assert len(_todo(world, world.assessor.user)) == 1  # still waiting on their to-do list


def test_confirmation_requested_email_with_the_preference_on(world):
    subscribe(world.assessor.user, world.centre, CONFIRMATION_REQUESTED)
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 1
    assert len(_todo(world, world.assessor.user)) == 1


def test_another_kind_or_centre_does_not_turn_the_confirmation_email_on(world, centre):
    subscribe(world.assessor.user, world.centre, SIGN_OFF_REQUESTED)
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 0


def test_sign_off_requested_email_only_with_the_preference_on(world):
    all_confirmed(world.enrolment, world.assessor.user)
    signoff_request(enrolment=world.enrolment, educator=world.educator.user, actor=world.learner.user)
    assert _sign_off_emails() == 0
    assert len(_todo(world, world.educator.user)) == 1


def test_sign_off_requested_email_with_the_preference_on(world):
    subscribe(world.educator.user, world.centre, SIGN_OFF_REQUESTED)
    all_confirmed(world.enrolment, world.assessor.user)
    signoff_request(enrolment=world.enrolment, educator=world.educator.user, actor=world.learner.user)
    assert _sign_off_emails() == 1
    assert len(_todo(world, world.educator.user)) == 1
