"""The "Confirmation requested" and "Sign-off requested" emails go only to people whose
preference is on; the request is on their to-do list either way (issue 13)."""

import pytest

from centres.roles import Role
from centres.services.roles import role_grant
from notifications.models import NotificationSubscription, OutboundEmail
from notifications.services import notification_subscriptions_replace
from notifications.testing import subscribe, unsubscribe
from passports.access import passport_access_for_user
from passports.notifications import CONFIRMATION_REQUESTED, SIGN_OFF_REQUESTED
from passports.selectors.supervisor import todo_page
from passports.services.confirmation import confirmation_request_create
from passports.services.signoff import signoff_request
from passports.tests.test_supervisor_data import all_confirmed, results_answer, world_build
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


def _todo(world, user) -> list:
    access = passport_access_for_user(user=user, centre=world.centre)
    return list(todo_page(access=access, per_page=20, page_number=1))


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
    unsubscribe(world.assessor.user, world.centre, CONFIRMATION_REQUESTED)  # ticked by the grant
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 0
    assert len(_todo(world, world.assessor.user)) == 1  # still waiting on their to-do list


def test_confirmation_requested_email_with_the_preference_on(world):
    subscribe(world.assessor.user, world.centre, CONFIRMATION_REQUESTED)
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 1
    assert len(_todo(world, world.assessor.user)) == 1


def test_another_kind_or_centre_does_not_turn_the_confirmation_email_on(world, centre):
    unsubscribe(world.assessor.user, world.centre, CONFIRMATION_REQUESTED)
    subscribe(world.assessor.user, world.centre, SIGN_OFF_REQUESTED)
    _ask_confirmation(world)
    assert _confirmation_emails(world) == 0


def test_sign_off_requested_email_only_with_the_preference_on(world):
    unsubscribe(world.educator.user, world.centre, SIGN_OFF_REQUESTED)  # ticked by the grant
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


def test_a_new_assessor_or_educator_has_the_request_emails_ticked_and_can_untick_them(centre):
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user
    person = MembershipFactory(centre=centre).user

    role_grant(user=person, centre=centre, role=Role.ASSESSOR, granted_by=manager)
    mine = NotificationSubscription.objects.for_centre(centre).filter(user=person)
    assert set(mine.values_list("kind", flat=True)) == {CONFIRMATION_REQUESTED}

    notification_subscriptions_replace(user=person, centre=centre, kinds=[])
    role_grant(user=person, centre=centre, role=Role.EDUCATOR, granted_by=manager)
    # The educator role newly allows sign-off requests (ticked); confirmation requests were
    # already allowed and unticked by the person, so they stay off.
    assert set(mine.values_list("kind", flat=True)) == {SIGN_OFF_REQUESTED}
