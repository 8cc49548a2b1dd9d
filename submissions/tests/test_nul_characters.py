"""Issue 12 finding 5: a NUL byte in a search box was a 500 (PostgreSQL refuses NUL in text).
It is stripped from every query-string and form value, so the search still works."""

import pytest
from django.test import Client
from django.urls import reverse

from centres.roles import Role
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(login_as, user, centre) -> Client:
    return login_as(user, centre, test_client=Client(raise_request_exception=False))


def test_nul_in_the_referral_search_is_ignored(login_as):
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register_build(centres=[north, south])
    admin = register_person(centre=north, role=Role.DSR_ADMIN)
    ReferralFactory(centre=north, created_by=admin, first_name="Jamie", last_name="Rivers")
    client = _client(login_as, admin, north)
    response = client.get(reverse("referrals:list"), {"q": "Jam\x00ie"})
    assert response.status_code == 200
    assert "Rivers" in response.content.decode()
    assert client.get(reverse("referrals:list"), {"q": "\x00", "sort": "\x00"}).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("centres:delegate_list", {"q": "Rivers\x00", "status": "\x00"}),
        ("centres:welcome_emails", {"q": "a\x00b"}),
        ("centres:audit_trail", {"page": "\x00"}),
        ("directory:list", {"q": "Leeds\x00"}),
    ],
)
def test_nul_in_any_search_box_is_not_a_server_error(login_as, url_name, params):
    manager = MembershipFactory(role=Role.CENTRE_MANAGER)
    client = _client(login_as, manager.user, manager.centre)
    assert client.get(reverse(url_name), params).status_code == 200


def test_nul_in_a_posted_form_is_stripped(login_as):
    admin = MembershipFactory(role=Role.ADMINISTRATOR)
    client = _client(login_as, admin.user, admin.centre)
    data = {"subject": "Cannot\x00 approve", "category": "delegates", "detail": "Nothing\x00 happens."}
    response = client.post(reverse("centres:support_ticket_new"), data)
    assert response.status_code == 302
    assert admin.centre.support_tickets.get().subject == "Cannot approve"


def test_a_visitor_with_nul_in_the_directory_search_gets_the_page():
    UserFactory()  # the directory is public
    assert Client(raise_request_exception=False).get("/centres/", {"q": "\x00"}).status_code == 200
