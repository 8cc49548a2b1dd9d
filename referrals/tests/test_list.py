"""R5: the referrals list: who sees what, search, sort, paging, htmx partial, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from referrals.models import Risk
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("referrals:list")


@pytest.fixture
def world():
    trust = CentreFactory(name="Midlands Partnership Foundation Trust")
    council = CentreFactory(name="Stoke on Trent City Council")
    register = register_build(centres=[trust, council])
    referrer = register_person(centre=trust, role=Role.REFERRER, user__first_name="Jenny", user__last_name="Harris")
    other_referrer = register_person(centre=trust, role=Role.REFERRER)
    council_referrer = register_person(centre=council, role=Role.REFERRER)
    return {
        "trust": trust,
        "council": council,
        "register": register,
        "referrer": referrer,
        "other_referrer": other_referrer,
        "council_referrer": council_referrer,
    }


def names_in(response) -> list[str]:
    """The names in the table's first column (each a link to the record), in order."""
    body = response.content.decode()
    return re.findall(r'aria-hidden="true">Name </span><span><a href="[^"]+"[^>]*>([^<]+)</a></span>', body)


def test_referrer_sees_only_own_active_referrals(client, login_as, world):
    ReferralFactory(centre=world["trust"], created_by=world["referrer"], first_name="Percy", last_name="Plum")
    ReferralFactory(centre=world["trust"], created_by=world["other_referrer"], first_name="Ruby", last_name="Scarlet")
    ReferralFactory(
        centre=world["trust"],
        created_by=world["referrer"],
        first_name="Archie",
        last_name="Archived",
        archived_at=timezone.now(),
        archived_by=world["referrer"],
    )
    login_as(world["referrer"], world["trust"])
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert names_in(response) == ["Percy Plum"]
    assert "Outcomes" not in response.content.decode()


def test_reporting_user_sees_permitted_organisations_only(client, login_as, world):
    ReferralFactory(centre=world["trust"], created_by=world["referrer"], first_name="Percy", last_name="Plum")
    ReferralFactory(
        centre=world["council"], created_by=world["council_referrer"], first_name="Wendy", last_name="White"
    )
    everything = register_person(centre=world["trust"], role=Role.DSR_REPORTING)
    limited = register_person(centre=world["trust"], role=Role.DSR_REPORTING, limited_to=[world["council"]])

    login_as(everything, world["trust"])
    assert sorted(names_in(client.get(LIST_URL))) == ["Percy Plum", "Wendy White"]
    assert "Outcomes" not in client.get(LIST_URL).content.decode()

    login_as(limited, world["trust"])
    assert names_in(client.get(LIST_URL)) == ["Wendy White"]


def test_administrator_sees_outcomes_links_for_permitted_organisations(client, login_as, world):
    percy = ReferralFactory(centre=world["trust"], created_by=world["referrer"], first_name="Percy", last_name="Plum")
    ReferralFactory(
        centre=world["council"], created_by=world["council_referrer"], first_name="Wendy", last_name="White"
    )
    admin = register_person(centre=world["trust"], role=Role.DSR_ADMIN, limited_to=[world["trust"]])
    login_as(admin, world["trust"])
    response = client.get(LIST_URL)
    body = response.content.decode()
    assert names_in(response) == ["Percy Plum"]
    assert reverse("referrals:outcomes", kwargs={"referral_id": percy.public_id}) in body
    assert reverse("referrals:detail", kwargs={"referral_id": percy.public_id}) in body


def test_another_register_is_never_listed(client, login_as, world):
    elsewhere = CentreFactory()
    register_build(name="Other DSR", centres=[elsewhere])
    stranger = register_person(centre=elsewhere, role=Role.REFERRER)
    ReferralFactory(centre=elsewhere, created_by=stranger, first_name="Secret", last_name="Person")
    admin = register_person(centre=world["trust"], role=Role.DSR_ADMIN)
    login_as(admin, world["trust"])
    assert "Secret" not in client.get(LIST_URL).content.decode()


def test_people_without_a_register_role_are_refused(client, login_as, world, role_member):
    learner = role_member(world["trust"]).user
    login_as(learner, world["trust"])
    assert client.get(LIST_URL).status_code == 403


@pytest.fixture
def admin_client(client, login_as, world):
    admin = register_person(centre=world["trust"], role=Role.DSR_ADMIN)
    return login_as(admin, world["trust"])


def make(world, first, last, **fields):
    fields.setdefault("created_by", world["referrer"])
    return ReferralFactory(centre=world["trust"], first_name=first, last_name=last, **fields)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ruby", ["Ruby Scarlet"]),
        ("SCAR", ["Ruby Scarlet"]),
        ("ruby scarlet", ["Ruby Scarlet"]),
        ("scarlet ruby", ["Ruby Scarlet"]),
        ("ruby plum", []),
        ("  percy  ", ["Percy Plum"]),
    ],
)
def test_search_by_first_last_and_full_name(admin_client, world, q, expected):
    make(world, "Ruby", "Scarlet")
    make(world, "Percy", "Plum")
    assert names_in(admin_client.get(LIST_URL, {"q": q})) == expected


def test_search_by_nhs_number_and_reference_exactly(admin_client, world):
    ruby = make(world, "Ruby", "Scarlet", nhs_number="9434765919", reference="DSR0000042")
    make(world, "Percy", "Plum")
    spaced = f"{ruby.nhs_number[:3]} {ruby.nhs_number[3:6]} {ruby.nhs_number[6:]}"
    assert names_in(admin_client.get(LIST_URL, {"q": spaced})) == ["Ruby Scarlet"]
    assert names_in(admin_client.get(LIST_URL, {"q": "dsr0000042"})) == ["Ruby Scarlet"]
    # Part of an NHS number or reference is not a match: exact only.
    assert names_in(admin_client.get(LIST_URL, {"q": ruby.nhs_number[:6]})) == []
    assert names_in(admin_client.get(LIST_URL, {"q": "DSR00000"})) == []


def test_no_match_and_empty_states(admin_client, world):
    response = admin_client.get(LIST_URL)
    assert "No referrals yet" in response.content.decode()
    make(world, "Ruby", "Scarlet")
    body = admin_client.get(LIST_URL, {"q": "<zz>"}).content.decode()
    assert "No referrals match “&lt;zz&gt;”" in body
    assert "<zz>" not in body


def test_htmx_request_gets_the_results_only(admin_client, world):
    make(world, "Ruby", "Scarlet")
    make(world, "Percy", "Plum")
    response = admin_client.get(LIST_URL, {"q": "ruby"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert names_in(response) == ["Ruby Scarlet"]
    assert "<html" not in body
    assert "<h1>" not in body
    assert 'id="referral-list-state" hx-swap-oob="true"' in body
    assert "Showing 1 to 1 of 1 referral" in body
    assert "HX-Request" in response["Vary"]
    full = admin_client.get(LIST_URL, {"q": "ruby"})
    assert "<h1>Referrals</h1>" in full.content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in full.content.decode()


def test_sort_by_each_column_and_aria_sort(admin_client, world):
    make(world, "Amy", "Zed", risk=Risk.BLUE, locality="A town")
    make(world, "Zoe", "Able", risk=Risk.RED, locality="Z town")
    make(world, "Max", "Middle", risk=Risk.AMBER, locality="M town")
    assert names_in(admin_client.get(LIST_URL, {"sort": "name"})) == ["Zoe Able", "Max Middle", "Amy Zed"]
    assert names_in(admin_client.get(LIST_URL, {"sort": "-name"})) == ["Amy Zed", "Max Middle", "Zoe Able"]
    assert names_in(admin_client.get(LIST_URL, {"sort": "risk"})) == ["Zoe Able", "Max Middle", "Amy Zed"]
    assert names_in(admin_client.get(LIST_URL, {"sort": "locality"})) == ["Amy Zed", "Max Middle", "Zoe Able"]
    assert names_in(admin_client.get(LIST_URL, {"sort": "created"})) == ["Amy Zed", "Zoe Able", "Max Middle"]
    body = admin_client.get(LIST_URL, {"sort": "-risk"}).content.decode()
    assert re.search(r'aria-sort="descending">\s*<a href="[^"]*">Risk', body)
    assert body.count('aria-sort="none"') == 5


def test_default_sort_is_last_updated_and_outcome_touch_moves_a_record_up(admin_client, world):
    first = make(world, "Amy", "First")
    make(world, "Bob", "Second")
    assert names_in(admin_client.get(LIST_URL)) == ["Bob Second", "Amy First"]
    first.latest_update = "Changed"
    first.save()
    assert names_in(admin_client.get(LIST_URL)) == ["Amy First", "Bob Second"]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "-"},
        {"sort": "centre__name"},
        {"per_page": "7"},
        {"per_page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"q": "x" * 500},
        {"q": "%' OR 1=1 --"},
    ],
)
def test_bad_parameters_fall_back_never_500(admin_client, world, params):
    make(world, "Ruby", "Scarlet")
    response = admin_client.get(LIST_URL, params)
    assert response.status_code == 200


def test_unknown_sort_uses_the_default(admin_client, world):
    make(world, "Amy", "First")
    make(world, "Bob", "Second")
    assert names_in(admin_client.get(LIST_URL, {"sort": "password"})) == ["Bob Second", "Amy First"]


def test_paging_with_per_page(admin_client, world):
    for number in range(12):
        make(world, f"Person{number:02d}", "Paged")
    response = admin_client.get(LIST_URL, {"per_page": "10", "sort": "name"})
    body = response.content.decode()
    assert len(names_in(response)) == 10
    assert "Showing 1 to 10 of 12 referrals" in body
    assert "per_page=10" in body
    assert "page=2" in body
    second = admin_client.get(LIST_URL, {"per_page": "10", "sort": "name", "page": "2"})
    assert "Showing 11 to 12 of 12 referrals" in second.content.decode()
    assert len(names_in(second)) == 2
    # An invalid page size falls back to 25.
    assert len(names_in(admin_client.get(LIST_URL, {"per_page": "7"}))) == 12


def test_query_count_is_constant(admin_client, world):
    for number in range(2):
        make(world, f"Few{number}", "Person")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST_URL, {"per_page": "100"})
    for number in range(58):
        make(world, f"Many{number}", "Person", created_by=register_person(centre=world["trust"], role=Role.REFERRER))
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(LIST_URL, {"per_page": "100"})
    assert len(names_in(response)) == 60
    assert len(many) == len(few)


def test_risk_is_a_coloured_tag_and_sort_links_toggle(admin_client, world):
    make(world, "Ruby", "Scarlet", risk=Risk.RED)
    make(world, "Mo", "Mauve", risk=Risk.BLUE)
    body = admin_client.get(LIST_URL, {"sort": "name", "q": "a"}).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Red</strong>' in body
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Blue</strong>' in body
    # The sorted column's link sorts the other way and keeps the search; others sort their own way.
    assert 'href="/dsr/referrals/?q=a&amp;sort=-name"' in body
    assert 'href="/dsr/referrals/?q=a&amp;sort=risk"' in body
    assert 'href="/dsr/referrals/?q=a&amp;sort=-created"' in body
