""" "My passports" in the header only where the person has something there (issue 15/14 review):
not for eLearning authorisers or site staff at a centre with no passports, nor for someone with a
role and no passport of their own; for a learner with a passport, and for a delegate with no
role at a centre that enrols people. One query."""

import pytest
from django.test import RequestFactory

from centres.access import centre_access_build
from centres.navigation import navigation_for
from centres.roles import Role
from passports.navigation import _has_passports_here
from passports.services.enrolment import enrolment_remove
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db
NAV = 'href="/passports/"'


def _header(client, login_as, user, centre) -> str:
    body = login_as(user, centre).get("/").content.decode()
    return body[body.index("<header") : body.index("</header>")]


@pytest.fixture
def care_record_site():
    return CentreFactory(name="Leeds Care Record site")  # enrols nobody


@pytest.fixture
def passport_centre():
    centre = CentreFactory(name="Training centre")
    enrolment_build(centre=centre, version=framework_version_build(sections=1, per_section=2))
    return centre


def test_an_authoriser_and_site_staff_at_a_site_with_no_passports_do_not_see_it(client, login_as, care_record_site):
    authoriser = MembershipFactory(centre=care_record_site, role=Role.AUTHORISER).user
    header = _header(client, login_as, authoriser, care_record_site)
    assert "My passports" not in header
    assert "Home" in header
    staff = MembershipFactory(centre=care_record_site).user  # a delegate record, no role
    assert "My passports" not in _header(client, login_as, staff, care_record_site)


def test_someone_with_a_role_and_no_passport_of_their_own_does_not_see_it(client, login_as, passport_centre):
    authoriser = MembershipFactory(centre=passport_centre, role=Role.AUTHORISER).user
    assert "My passports" not in _header(client, login_as, authoriser, passport_centre)


def test_a_learner_with_a_passport_sees_it_until_it_is_removed(client, login_as):
    centre = CentreFactory()
    enrolment = enrolment_build(centre=centre, version=framework_version_build(sections=1, per_section=2))
    learner = enrolment.membership.user
    header = _header(client, login_as, learner, centre)
    assert "My passports" in header
    assert NAV in header
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    enrolment_remove(enrolment=enrolment, removed_by=administrator)
    assert "My passports" not in _header(client, login_as, learner, centre)


def test_a_delegate_with_no_role_at_a_centre_that_enrols_sees_it(client, login_as, passport_centre):
    delegate = MembershipFactory(centre=passport_centre).user
    assert "My passports" in _header(client, login_as, delegate, passport_centre)


def test_the_rule_costs_one_query(django_assert_num_queries, passport_centre):
    user = MembershipFactory(centre=passport_centre, role=Role.AUTHORISER).user
    request = RequestFactory().get("/")
    request.user = user
    request.centre = passport_centre
    request.centre_access = centre_access_build(user=user, centre=passport_centre)
    with django_assert_num_queries(1):
        assert not _has_passports_here(request)
    assert "My passports" not in [entry["text"] for entry in navigation_for(request)]
