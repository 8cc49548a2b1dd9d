"""Issue 16 item 1: the home page says what each person has to do, from the sections the apps
register (centres.home_sections): "To do" first (the weekly summary's entries), the learner's
passports with progress and the next step, the register for register users, then the rest."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import RoleAssignment
from centres.roles import Role
from centres.services.memberships import membership_create
from passports.models import ConfirmationRequest
from passports.services.assessment import result_assess
from passports.tests.factories import enrolment_build, framework_version_build
from referrals.tests.factories import register_build, register_person
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_administrator_sees_what_waits_first(client, login_as, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    membership_create(user=UserFactory(), centre=centre, registration_type="self", is_approved=False)
    body = _home(login_as(admin.user, centre))
    todo = body.index('id="home-todo"')
    assert "1 registration awaiting approval" in body[todo:]
    assert reverse("centres:registrations") in body[todo:]
    assert todo < body.index('id="home-more"') < body.index('id="home-details"')
    assert "Register a delegate" in body


def test_someone_with_a_role_and_nothing_waiting_is_told_so(client, login_as, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    body = _home(login_as(admin.user, centre))
    assert f"Nothing is waiting for you at {centre.name}" in body
    assert 'id="home-passports"' not in body  # no passport and a role: nothing to say about passports


def test_a_learner_sees_each_passport_with_progress_and_the_next_step(client, login_as, centre):
    enrolment = enrolment_build(centre=centre, version=framework_version_build(name="IV Therapy", per_section=3))
    enrolment.complete_by = timezone.localdate() + datetime.timedelta(days=30)
    enrolment.save(update_fields=["complete_by"])
    result = enrolment.results.order_by("proficiency__position").first()
    result_assess(result=result, answer="achieved", action_plan="", actor=enrolment.membership.user)
    body = _home(login_as(enrolment.membership.user, centre))
    assert 'id="home-todo"' not in body  # a plain learner has no role: no empty "To do"
    section = body[body.index('id="home-passports"') :]
    assert "IV Therapy" in section
    assert "Complete by" in section
    assert "<strong>0 of 9</strong> confirmed" in section  # the passports' one progress macro
    assert "1 self-assessed" in section
    assert "Self-assess your next proficiency" in section
    assert reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id}) in section
    assert "Delegate number" in body


def test_a_supervisor_sees_the_requests_sent_to_them(client, login_as, centre):
    enrolment = enrolment_build(centre=centre, version=framework_version_build(per_section=2))
    educator = enrolment.supervisors.get().user
    ConfirmationRequest.objects.create(
        centre=centre, enrolment=enrolment, supervisor=educator, last_sent_at=timezone.now()
    )
    body = _home(login_as(educator, centre))
    assert "1 confirmation request waiting for you" in body[body.index('id="home-todo"') :]


def test_a_register_only_user_sees_the_register_not_passports_or_a_delegate_number(client, login_as):
    council = CentreFactory(name="Stoke Council")
    register = register_build(name="Staffordshire DSR", centres=[council])
    referrer = register_person(centre=council, role=Role.REFERRER)
    body = _home(login_as(referrer, council))
    assert 'id="home-passports"' not in body
    assert "Delegate number" not in body
    assert "My passports" not in body  # nor in the header
    assert 'id="home-todo"' not in body  # no register section in the weekly summary yet
    section = body[body.index('id="home-register"') :]
    assert register.name in section
    assert "Find, view and update the referrals you made." in section


def test_a_reporting_user_is_not_told_they_can_update_referrals(client, login_as):
    council = CentreFactory()
    register_build(centres=[council])
    reporter = register_person(centre=council, role=Role.DSR_REPORTING)
    body = _home(login_as(reporter, council))
    assert "Find and view referrals (read only)." in body
    assert "update" not in body[body.index('id="home-register"') : body.index('id="home-details"')].lower()


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _home(client)
    return len(queries)


def test_home_queries_do_not_grow_with_passports_or_requests(client, login_as, centre):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    learner = MembershipFactory(centre=centre, role=Role.ASSESSOR)

    def enrol():
        enrolment = enrolment_build(
            centre=centre, version=framework_version_build(per_section=2), learner=learner, educator=educator
        )
        ConfirmationRequest.objects.create(
            centre=centre, enrolment=enrolment, supervisor=learner.user, last_sent_at=timezone.now()
        )

    enrol()
    client = login_as(learner.user, centre)
    few = _count(client)
    for _ in range(6):
        enrol()
    assert _count(client) == few


def test_no_empty_passports_section_where_nobody_is_enrolled_nor_a_missing_delegate_number(client, login_as):
    """A delegate of a centre that enrols nobody on a passport (a care record site) is not told
    about passports; someone with a role and no delegate record gets no delegate number row."""
    site = CentreFactory()
    staff = MembershipFactory(centre=site)
    body = _home(login_as(staff.user, site))
    assert 'id="home-passports"' not in body
    authoriser = UserFactory()
    RoleAssignment.objects.create(user=authoriser, centre=site, role=Role.AUTHORISER)
    body = _home(login_as(authoriser, site))
    assert "Delegate number" not in body
