"""S1: only senior portal administrators reach the settings; everyone else gets a 403 page that
says who can change them."""

import pytest
from django.urls import reverse

from centres.roles import Role
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SETTINGS_URLS = [
    ("staffpassport:settings", {}),
    ("staffpassport:organisation", {}),
    ("staffpassport:auto_issuance", {}),
    ("staffpassport:templates", {}),
    ("staffpassport:job_role_add", {"staff_group": "students"}),
]


@pytest.mark.parametrize("role", [None, Role.CENTRE_MANAGER, Role.AUTHORISER, Role.ADMINISTRATOR])
def test_other_roles_get_a_403_that_names_the_senior_administrators(client, login_as, trust, senior, role):
    member = MembershipFactory(centre=trust, role=role)
    login_as(member.user, trust)
    for name, kwargs in SETTINGS_URLS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 403
        page = response.content.decode()
        assert "You cannot change staff passport settings" in page
        assert "Only a senior portal administrator at Trust A Teaching Hospitals" in page
        assert senior.user.get_full_name() in page
    assert client.post(reverse("staffpassport:auto_issuance"), {}).status_code == 403


def test_without_a_senior_administrator_the_403_says_how_to_get_one(client, login_as):
    trust = CentreFactory(name="Lonely Trust")
    member = MembershipFactory(centre=trust, role=Role.CENTRE_MANAGER)
    login_as(member.user, trust)
    page = client.get(reverse("staffpassport:settings")).content.decode()
    assert "Lonely Trust has no senior portal administrator yet" in page


def test_another_trusts_senior_administrators_are_not_named(client, login_as, trust, senior):
    other = CentreFactory(name="Other Trust")
    other_senior = MembershipFactory(centre=other, role=Role.SENIOR_PORTAL_ADMIN)
    member = MembershipFactory(centre=trust)
    login_as(member.user, trust)
    page = client.get(reverse("staffpassport:settings")).content.decode()
    assert other_senior.user.get_full_name() not in page


def test_a_senior_administrator_of_another_trust_cannot_change_this_one(client, login_as, trust):
    other = CentreFactory()
    MembershipFactory(centre=other, role=Role.SENIOR_PORTAL_ADMIN)
    member = MembershipFactory(centre=trust)  # only a learner here
    login_as(member.user, trust)
    assert client.get(reverse("staffpassport:settings")).status_code == 403


def test_header_entry_only_for_senior_administrators(client, login_as, trust, senior):
    login_as(senior.user, trust)
    assert "Staff passport settings" in client.get("/").content.decode()
    member = MembershipFactory(centre=trust, role=Role.CENTRE_MANAGER)
    login_as(member.user, trust)
    assert "Staff passport settings" not in client.get("/").content.decode()


def test_logged_out_people_are_asked_to_log_in(client):
    response = client.get(reverse("staffpassport:settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
