"""Issue 11 data paths, register side: every register form that names an organisation,
locality, extra question or person is posted with another register's (or, for a limited
person, another organisation's) values, and must refuse with nothing written."""

import pytest
from django.urls import reverse

from accounts.models import User
from centres.models import Membership, RoleAssignment
from centres.roles import Role
from referrals.models import AccessLimit, ExtraQuestion, Referral, ReferralNote
from referrals.tests.factories import ReferralFactory, register_build, register_person
from referrals.tests.test_referral_create import valid_post
from reporting.models import ReportJob
from tests.data_paths import assert_nothing_written
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    bravo = CentreFactory(name="Bravo Hospital")
    alpha_register = register_build(name="Alpha DSR", centres=[north, south])
    bravo_register = register_build(name="Bravo DSR", centres=[bravo], localities=["Zanzibar Locality"])
    bravo_admin = register_person(centre=bravo, role=Role.DSR_ADMIN)
    return {
        "north": north,
        "south": south,
        "bravo": bravo,
        "alpha_register": alpha_register,
        "admin": register_person(centre=north, role=Role.DSR_ADMIN),
        "referrer": register_person(centre=north, role=Role.REFERRER),
        "limited_reporter": register_person(centre=north, role=Role.DSR_REPORTING, limited_to=[north]),
        "bravo_question": ExtraQuestion.objects.create(register=bravo_register, text="Bravo only?"),
        "bravo_referral": ReferralFactory(centre=bravo, created_by=bravo_admin),
        "bravo_admin": bravo_admin,
    }


def _errors(response) -> str:
    return response.content.decode()


# -- R3/R6 the referral form ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "referrer"])
def test_new_referral_for_another_registers_organisation_is_refused(world, login_as, who):
    client = login_as(world[who], world["north"])
    with assert_nothing_written(Referral):
        response = client.post(reverse("referrals:create"), valid_post(organisation=str(world["bravo"].public_id)))
    assert response.status_code == 400


def test_new_referral_with_another_registers_locality_is_refused(world, login_as):
    client = login_as(world["referrer"], world["north"])
    with assert_nothing_written(Referral):
        response = client.post(reverse("referrals:create"), valid_post(locality="Zanzibar Locality"))
    assert response.status_code == 400
    assert "Select the locality" in _errors(response) or "valid choice" in _errors(response)


def test_answer_to_another_registers_question_is_not_stored(world, login_as):
    client = login_as(world["referrer"], world["north"])
    foreign = f"extra_{world['bravo_question'].public_id.hex}"
    response = client.post(reverse("referrals:create"), valid_post(**{foreign: "Zanzibar answer"}))
    assert response.status_code == 302
    referral = Referral.objects.get(centre=world["north"])
    assert str(world["bravo_question"].public_id) not in referral.extra_answers
    assert "Zanzibar answer" not in str(referral.extra_answers)


def test_referral_update_with_another_registers_locality_or_organisation_changes_nothing(world, login_as):
    mine = ReferralFactory(centre=world["north"], created_by=world["referrer"])
    client = login_as(world["referrer"], world["north"])
    url = reverse("referrals:detail", kwargs={"referral_id": mine.public_id})
    with assert_nothing_written(Referral):
        response = client.post(url, valid_post(locality="Zanzibar Locality"))
    assert response.status_code == 400
    # A posted organisation is not a field of the update form: the referral stays North's.
    client.post(url, valid_post(organisation=str(world["bravo"].public_id), latest_update="Moved on."))
    mine.refresh_from_db()
    assert mine.centre == world["north"]
    assert mine.register == world["alpha_register"]


def test_note_on_another_registers_referral_is_refused(world, login_as):
    client = login_as(world["admin"], world["north"])
    url = reverse("referrals:notes", kwargs={"referral_id": world["bravo_referral"].public_id})
    with assert_nothing_written(ReferralNote, Referral):
        response = client.post(url, {"body": "Zanzibar note"})
    assert response.status_code == 404


# -- R9/R10 reports and the dashboard's filter -------------------------------------------


@pytest.mark.parametrize(
    ("who", "organisation"),
    [
        ("admin", "bravo"),  # another register's organisation
        ("limited_reporter", "bravo"),
        ("limited_reporter", "south"),  # this register, outside the person's access limit
    ],
)
def test_report_naming_an_organisation_outside_access_is_refused(world, login_as, who, organisation):
    client = login_as(world[who], world["north"])
    with assert_nothing_written(ReportJob):
        response = client.post(
            reverse("referrals:report_create"),
            {"report_type": "referrals", "organisation": str(world[organisation].public_id)},
        )
    assert response.status_code == 400
    assert "You cannot report on that organisation" in _errors(response)


def test_report_naming_another_registers_locality_is_refused(world, login_as):
    client = login_as(world["admin"], world["north"])
    with assert_nothing_written(ReportJob):
        response = client.post(
            reverse("referrals:report_create"), {"report_type": "referrals", "locality": "Zanzibar Locality"}
        )
    assert response.status_code == 400


@pytest.mark.parametrize("organisation", ["bravo", "south"])
def test_dashboard_filter_outside_access_shows_nothing_of_it(world, login_as, organisation):
    ReferralFactory(centre=world["south"], created_by=world["admin"], last_name="Southern-Zanzibar")
    client = login_as(world["limited_reporter"], world["north"])
    response = client.get(reverse("referrals:dashboard"), {"organisation": str(world[organisation].public_id)})
    # The filter is refused with a message and the figures stay those of the person's own access.
    assert response.status_code == 200
    assert "You cannot report on that organisation" in _errors(response)
    assert world[organisation].name not in _errors(response)
    assert "Southern-Zanzibar" not in _errors(response)


# -- R2 register users: organisation and access limits -----------------------------------

_PEOPLE = (User, Membership, RoleAssignment, AccessLimit)


def _new_user(world, **overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Zanzibar",
        "email": "ada.zanzibar@north.nhs.example",
        "organisation": str(world["north"].pk),
        "role": Role.DSR_REPORTING.value,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {"organisation": "bravo"},
        {"limited_to": ["bravo"]},
        {"limited_to": ["north", "bravo"]},
    ],
    ids=["organisation", "limit", "limit-among-own"],
)
def test_adding_a_register_user_with_another_registers_organisation_is_refused(world, login_as, overrides):
    posted = {
        key: [str(world[name].pk) for name in value] if isinstance(value, list) else str(world[value].pk)
        for key, value in overrides.items()
    }
    client = login_as(world["admin"], world["north"])
    with assert_nothing_written(*_PEOPLE):
        response = client.post(reverse("referrals:user_add"), _new_user(world, **posted))
    assert response.status_code == 400
    assert "Choose" in _errors(response)


def test_limited_administrator_cannot_limit_someone_to_an_organisation_outside_their_own(world, login_as):
    limited_admin = register_person(centre=world["north"], role=Role.DSR_ADMIN, limited_to=[world["north"]])
    client = login_as(limited_admin, world["north"])
    with assert_nothing_written(*_PEOPLE):
        response = client.post(reverse("referrals:user_add"), _new_user(world, organisation=str(world["south"].pk)))
    assert response.status_code == 400


def test_editing_a_register_users_limits_to_another_registers_organisation_is_refused(world, login_as):
    client = login_as(world["admin"], world["north"])
    url = reverse("referrals:user_edit", kwargs={"user_id": world["limited_reporter"].public_id})
    with assert_nothing_written(AccessLimit, RoleAssignment):
        response = client.post(url, {"role": Role.DSR_REPORTING.value, "limited_to": [str(world["bravo"].pk)]})
    assert response.status_code == 400


def test_editing_another_registers_user_is_404(world, login_as):
    client = login_as(world["admin"], world["north"])
    url = reverse("referrals:user_edit", kwargs={"user_id": world["bravo_admin"].public_id})
    with assert_nothing_written(AccessLimit, RoleAssignment):
        response = client.post(url, {"role": Role.REFERRER.value})
    assert response.status_code == 404
