"""Issue 11 data paths inside one centre or register: the object is the centre's, but the
person may not act on it (outside their access limit, someone else's referral, a kind of
notification their roles do not allow). Posting must refuse with nothing written."""

import pytest
from django.urls import reverse

from centres.roles import Role
from notifications.models import NotificationSubscription
from referrals.models import Outcome, Referral, ReferralNote
from referrals.tests.factories import ReferralFactory, register_build, register_person
from referrals.tests.test_outcomes import MEETING_HAPPENED
from referrals.tests.test_referral_create import valid_post
from tests.data_paths import assert_nothing_written
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REFERRAL_DATA = (Referral, ReferralNote, Outcome)


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register_build(centres=[north, south])
    referrer = register_person(centre=north, role=Role.REFERRER)
    south_referrer = register_person(centre=south, role=Role.REFERRER)
    return {
        "north": north,
        "south": south,
        "referrer": referrer,
        "colleague": register_person(centre=north, role=Role.REFERRER),
        "limited_admin": register_person(centre=north, role=Role.DSR_ADMIN, limited_to=[north]),
        "south_referral": ReferralFactory(centre=south, created_by=south_referrer, last_name="Southern"),
        "north_referral": ReferralFactory(centre=north, created_by=referrer, last_name="Northern"),
    }


def _url(name, referral, suffix=""):
    return reverse(f"referrals:{name}", kwargs={"referral_id": referral.public_id}) + suffix


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("detail", valid_post(latest_update="Zanzibar update")),
        ("notes", {"body": "Zanzibar note"}),
        ("outcomes", MEETING_HAPPENED),
        ("archive", {**MEETING_HAPPENED, "confirm": "yes"}),
    ],
)
def test_limited_administrator_cannot_write_to_a_referral_outside_their_limit(world, login_as, name, data):
    client = login_as(world["limited_admin"], world["north"])
    with assert_nothing_written(*REFERRAL_DATA):
        response = client.post(_url(name, world["south_referral"]), data)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("detail", valid_post(latest_update="Zanzibar update")),
        ("notes", {"body": "Zanzibar note"}),
        ("outcomes", MEETING_HAPPENED),
    ],
)
def test_referrer_cannot_write_to_a_colleagues_referral(world, login_as, name, data):
    client = login_as(world["colleague"], world["north"])
    with assert_nothing_written(*REFERRAL_DATA):
        response = client.post(_url(name, world["north_referral"]), data)
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        (Role.EDUCATOR, ["registration_approval", "support_ticket"]),  # a manager's kinds
        (None, ["confirmation_requested", "registration_approval"]),  # a learner has none to choose
    ],
)
def test_notification_kinds_the_roles_do_not_allow_are_refused(world, login_as, role, kinds):
    member = MembershipFactory(centre=world["north"], role=role)
    client = login_as(member.user, world["north"])
    with assert_nothing_written(NotificationSubscription):
        response = client.post(reverse("my_account:notifications"), {"kinds": kinds})
    assert response.status_code in (200, 400)
    if role is not None:
        assert "Select only the notifications listed" in response.content.decode()


def test_limited_administrator_cannot_refer_for_an_organisation_outside_their_limit(world, login_as):
    client = login_as(world["limited_admin"], world["north"])
    with assert_nothing_written(*REFERRAL_DATA):
        response = client.post(reverse("referrals:create"), valid_post(organisation=str(world["south"].public_id)))
    assert response.status_code == 400


def test_limited_administrator_cannot_manage_people_outside_their_limit(world, login_as):
    from centres.models import RoleAssignment
    from referrals.models import AccessLimit

    south_person = register_person(centre=world["south"], role=Role.DSR_REPORTING)
    north_person = register_person(centre=world["north"], role=Role.DSR_REPORTING, limited_to=[world["north"]])
    client = login_as(world["limited_admin"], world["north"])
    with assert_nothing_written(AccessLimit, RoleAssignment):
        outside = client.post(
            reverse("referrals:user_edit", kwargs={"user_id": south_person.public_id}),
            {"role": Role.DSR_ADMIN.value},
        )
        widened = client.post(
            reverse("referrals:user_edit", kwargs={"user_id": north_person.public_id}),
            {"role": Role.DSR_REPORTING.value, "limited_to": [str(world["south"].pk)]},
        )
    assert outside.status_code == 404
    assert widened.status_code == 400


@pytest.mark.parametrize("action", ["edit", "add"])
def test_limited_administrator_leaving_limits_unticked_cannot_widen_access(world, login_as, action):
    """'Leave all unticked to see every organisation you can see': for a limited administrator
    that may never become the whole register."""
    from accounts.models import User
    from referrals.access import register_access_for_user
    from referrals.models import AccessLimit

    client = login_as(world["limited_admin"], world["north"])
    if action == "edit":
        person = register_person(centre=world["north"], role=Role.DSR_REPORTING, limited_to=[world["north"]])
        client.post(reverse("referrals:user_edit", kwargs={"user_id": person.public_id}), {"role": "dsr_reporting"})
        access = register_access_for_user(user=person, centre=world["north"])
        assert {organisation.pk for organisation in access.organisations} == {world["north"].pk}
        return
    data = {
        "first_name": "Nia",
        "last_name": "North",
        "email": f"nia@{world['north'].code.lower()}.nhs.example",
        "organisation": str(world["north"].pk),
        "role": "dsr_reporting",
    }
    with assert_nothing_written(User, AccessLimit):
        response = client.post(reverse("referrals:user_add"), data)
    assert response.status_code == 400
    assert "limit this person to one or more of them too" in response.content.decode()
