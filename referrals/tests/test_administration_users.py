"""R2: the register's users, added and changed by its administrators."""

import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from centres.models import AuditEvent, Membership, RoleAssignment
from centres.roles import Permission, Role
from notifications.models import OutboundEmail
from referrals.models import AccessLimit
from referrals.tests.factories import register_build, register_person
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust, council, police = (CentreFactory(name=n) for n in ("Alpha Trust", "Beta Council", "Gamma Police"))
    register = register_build(name="Staffs DSR", slug="staffs-dsr", centres=[trust, council, police])
    other_centre = CentreFactory(name="Other Trust")
    other = register_build(name="Other DSR", slug="other-dsr", centres=[other_centre])
    admin = register_person(centre=trust, role=Role.DSR_ADMIN, user__first_name="Ann", user__last_name="Admin")
    return {
        "register": register,
        "trust": trust,
        "council": council,
        "police": police,
        "admin": admin,
        "other": other,
        "other_centre": other_centre,
    }


def _roles(user) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))


def _add(client, world, **data):
    payload = {
        "first_name": "Rita",
        "last_name": "Reporter",
        "email": "rita@beta.example",
        "organisation": world["council"].pk,
        "role": Role.DSR_REPORTING.value,
    }
    payload.update(data)
    return client.post(reverse("referrals:user_add"), payload)


# -- the list -------------------------------------------------------------------------------------


def test_list_shows_people_with_register_roles_their_organisation_role_and_limits(client, login_as, world):
    reporter = register_person(
        centre=world["council"], role=Role.DSR_REPORTING, limited_to=[world["council"]], user__last_name="Zed"
    )
    register_person(centre=world["other_centre"], role=Role.REFERRER, user__last_name="Elsewhere")
    MembershipFactory(centre=world["trust"], user__last_name="Learner")  # no register role
    login_as(world["admin"], world["trust"])
    response = client.get(reverse("referrals:users"))
    assert response.status_code == 200
    text = response.content.decode()
    assert reporter.email in text
    assert "DSR reporting user" in text
    assert "Beta Council" in text
    assert world["admin"].email in text
    assert "Every organisation" in text
    assert "Elsewhere" not in text  # another register's people
    assert "Learner" not in text
    assert "factory.manager" not in text  # a centre manager holds no register role


def test_limited_administrator_sees_only_people_at_their_organisations(client, login_as, world):
    limited = register_person(centre=world["council"], role=Role.DSR_ADMIN, limited_to=[world["council"]])
    police_user = register_person(centre=world["police"], role=Role.REFERRER)
    login_as(limited, world["council"])
    text = client.get(reverse("referrals:users")).content.decode()
    assert limited.email in text
    assert police_user.email not in text
    assert world["admin"].email not in text  # at the trust, which they are limited away from
    assert client.get(reverse("referrals:user_edit", kwargs={"user_id": police_user.public_id})).status_code == 404


def test_list_uses_the_same_number_of_queries_for_2_and_30_people(client, login_as, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_as(world["admin"], world["trust"])
    register_person(centre=world["council"], role=Role.REFERRER)
    client.get(reverse("referrals:users"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referrals:users"))
    for n in range(28):
        register_person(centre=world["police"], role=Role.DSR_REPORTING, limited_to=[world["police"]] if n % 2 else [])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("referrals:users"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "Page 1 of 2" in response.content.decode()


def test_pages_past_the_end_show_the_last_page(client, login_as, world):
    login_as(world["admin"], world["trust"])
    assert client.get(reverse("referrals:users") + "?page=999").status_code == 200
    assert client.get(reverse("referrals:users") + "?page=abc").status_code == 200


# -- adding ---------------------------------------------------------------------------------------


def test_add_a_new_person_at_another_organisation_of_the_register(client, login_as, world):
    login_as(world["admin"], world["trust"])
    response = _add(client, world, limited_to=[world["council"].pk, world["police"].pk])
    assert response.status_code == 302
    rita = User.objects.get(email="rita@beta.example")
    assert not rita.has_usable_password()
    assert Membership.objects.get(user=rita).centre == world["council"]
    grant = RoleAssignment.objects.get(user=rita)
    assert (grant.role, grant.centre, grant.granted_by) == (Role.DSR_REPORTING, world["council"], world["admin"])
    assert rita.has_perm(Permission.REPORT_REFERRALS.value, world["council"])
    assert set(AccessLimit.objects.filter(user=rita).values_list("centre", flat=True)) == {
        world["council"].pk,
        world["police"].pk,
    }
    assert OutboundEmail.objects.filter(to=["rita@beta.example"], template="centres/emails/welcome").exists()
    added = AuditEvent.objects.get(action="register.user_added")
    assert (added.actor, added.centre) == (world["admin"], world["council"])


def test_add_a_delegate_of_the_organisation_emails_them_instead_of_a_set_password_link(client, login_as, world):
    existing = MembershipFactory(centre=world["council"], user__email="rita@beta.example").user
    login_as(world["admin"], world["trust"])
    assert _add(client, world, role=Role.DSR_ADMIN.value).status_code == 302
    assert _roles(existing) == {Role.DSR_ADMIN}
    email = OutboundEmail.objects.get(to=["rita@beta.example"])
    assert email.template == "referrals/emails/signup_added_by_administrator"


@pytest.mark.parametrize("where", ["nowhere", "another centre"])
def test_an_existing_account_not_at_the_organisation_is_refused_and_nothing_written(client, login_as, world, where):
    """Finding 1: an account joins an organisation only through its owner."""
    existing = UserFactory(email="rita@beta.example", first_name="Rita", last_name="Original")
    if where == "another centre":
        MembershipFactory(user=existing)
    before = Membership.objects.count()
    login_as(world["admin"], world["trust"])
    response = _add(client, world, role=Role.DSR_ADMIN.value)
    assert response.status_code == 400
    assert "belongs to an existing account" in response.content.decode()
    assert Membership.objects.count() == before
    assert _roles(existing) == set()
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Rita", "Original")


def test_limits_are_ignored_for_referrers(client, login_as, world):
    login_as(world["admin"], world["trust"])
    _add(client, world, role=Role.REFERRER.value, limited_to=[world["police"].pk])
    rita = User.objects.get(email="rita@beta.example")
    assert _roles(rita) == {Role.REFERRER}
    assert not AccessLimit.objects.filter(user=rita).exists()


def test_someone_already_in_the_register_is_not_added_twice(client, login_as, world):
    register_person(centre=world["police"], role=Role.REFERRER, user__email="rita@beta.example")
    login_as(world["admin"], world["trust"])
    response = _add(client, world)
    assert response.status_code == 400
    assert "already a user of this register" in response.content.decode()
    assert RoleAssignment.objects.filter(user__email="rita@beta.example").count() == 1


def test_platform_staff_cannot_be_added(client, login_as, world):
    UserFactory(email="rita@beta.example", platform_staff=True)
    login_as(world["admin"], world["trust"])
    response = _add(client, world)
    assert response.status_code == 400
    # The same answer as any existing account: the page does not reveal platform staff.
    assert "belongs to an existing account" in response.content.decode()
    assert "Platform staff" not in response.content.decode()
    assert not RoleAssignment.objects.filter(user__email="rita@beta.example").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "nope"}, "Enter an email address in the correct format"),
        ({"first_name": ""}, "Enter their first name"),
        ({"role": "centre_manager"}, "Choose a role"),
        ({"role": ""}, "Choose a role"),
        ({"organisation": ""}, "Choose their organisation"),
        ({"organisation": "999999"}, "Choose an organisation from the list"),
        ({"organisation": "abc"}, "Choose an organisation from the list"),
        ({"limited_to": ["999999"]}, "Choose organisations from the list"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(client, login_as, world, change, message):
    login_as(world["admin"], world["trust"])
    response = _add(client, world, **change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="rita@beta.example").exists()


def test_another_registers_organisation_cannot_be_used(client, login_as, world):
    login_as(world["admin"], world["trust"])
    response = _add(client, world, organisation=world["other_centre"].pk)
    assert response.status_code == 400
    response = _add(client, world, limited_to=[world["other_centre"].pk])
    assert response.status_code == 400
    assert not User.objects.filter(email="rita@beta.example").exists()


def test_limited_administrator_cannot_add_at_or_give_access_to_other_organisations(client, login_as, world):
    limited = register_person(centre=world["council"], role=Role.DSR_ADMIN, limited_to=[world["council"]])
    login_as(limited, world["council"])
    assert _add(client, world, organisation=world["police"].pk).status_code == 400
    assert _add(client, world, limited_to=[world["police"].pk]).status_code == 400
    no_limit = _add(client, world)  # would see every organisation: more than the administrator
    assert no_limit.status_code == 400
    assert "limit this person" in no_limit.content.decode()
    assert not User.objects.filter(email="rita@beta.example").exists()
    assert _add(client, world, limited_to=[world["council"].pk]).status_code == 302


# -- changing and removing ------------------------------------------------------------------------


def _edit_url(user):
    return reverse("referrals:user_edit", kwargs={"user_id": user.public_id})


def test_change_role_and_limits(client, login_as, world):
    person = register_person(centre=world["police"], role=Role.REFERRER)
    login_as(world["admin"], world["trust"])
    assert client.get(_edit_url(person)).status_code == 200
    response = client.post(_edit_url(person), {"role": Role.DSR_REPORTING.value, "limited_to": [world["police"].pk]})
    assert response.status_code == 302
    assert _roles(person) == {Role.DSR_REPORTING}
    assert list(AccessLimit.objects.filter(user=person).values_list("centre", flat=True)) == [world["police"].pk]
    assert person.has_perm(Permission.REPORT_REFERRALS.value, world["police"])
    assert not User.objects.get(pk=person.pk).has_perm(Permission.REFER.value, world["police"])
    assert AuditEvent.objects.filter(action="register.user_changed", centre=world["police"]).exists()


def test_remove_takes_away_register_roles_but_keeps_the_account(client, login_as, world):
    person = register_person(centre=world["police"], role=Role.DSR_REPORTING, limited_to=[world["police"]])
    login_as(world["admin"], world["trust"])
    response = client.post(_edit_url(person), {"remove": "1"})
    assert response.status_code == 302
    assert _roles(person) == set()
    assert not AccessLimit.objects.filter(user=person).exists()
    assert User.objects.filter(pk=person.pk, is_active=True).exists()
    assert AuditEvent.objects.filter(action="register.user_removed").exists()


def test_the_last_administrator_cannot_remove_or_demote_themselves(client, login_as, world):
    login_as(world["admin"], world["trust"])
    response = client.post(_edit_url(world["admin"]), {"remove": "1"})
    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    response = client.post(_edit_url(world["admin"]), {"role": Role.REFERRER.value})
    assert response.status_code == 400
    assert _roles(world["admin"]) == {Role.DSR_ADMIN}


def test_an_administrator_can_step_down_when_another_remains(client, login_as, world):
    """Giving up the role is allowed; giving oneself another one (even a lesser one) is not:
    nobody grants a role to themselves (issue 11, finding 2)."""
    register_person(centre=world["council"], role=Role.DSR_ADMIN)
    login_as(world["admin"], world["trust"])
    page = client.get(_edit_url(world["admin"])).content.decode()
    assert "You cannot change your own role" in page
    response = client.post(_edit_url(world["admin"]), {"role": Role.DSR_REPORTING.value})
    assert response.status_code == 400
    assert "You cannot give yourself a role" in response.content.decode()
    assert _roles(world["admin"]) == {Role.DSR_ADMIN}
    assert client.post(_edit_url(world["admin"]), {"remove": "1"}).status_code == 302
    assert _roles(world["admin"]) == set()


def test_other_registers_people_and_unknown_ids_are_404(client, login_as, world):
    elsewhere = register_person(centre=world["other_centre"], role=Role.DSR_ADMIN)
    learner = MembershipFactory(centre=world["trust"]).user
    login_as(world["admin"], world["trust"])
    for user_id in (elsewhere.public_id, learner.public_id, uuid.uuid4()):
        url = reverse("referrals:user_edit", kwargs={"user_id": user_id})
        assert client.get(url).status_code == 404
        assert client.post(url, {"remove": "1"}).status_code == 404
    assert _roles(elsewhere) == {Role.DSR_ADMIN}


# -- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REFERRER, Role.DSR_REPORTING])
@pytest.mark.parametrize("name", ["users", "user_add", "administration", "audit", "form_settings"])
def test_only_administrators_may(client, login_as, world, role, name):
    person = register_person(centre=world["trust"], role=role)
    login_as(person, world["trust"])
    assert client.get(reverse(f"referrals:{name}")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("referrals:users"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_tampered_limits_on_edit_are_refused_and_nothing_changes(client, login_as, world):
    person = register_person(centre=world["police"], role=Role.DSR_REPORTING, limited_to=[world["police"]])
    login_as(world["admin"], world["trust"])
    for limited_to in ([world["other_centre"].pk], ["abc"]):
        response = client.post(_edit_url(person), {"role": Role.DSR_ADMIN.value, "limited_to": limited_to})
        assert response.status_code == 400
        assert "Choose organisations from the list" in response.content.decode()
    assert _roles(person) == {Role.DSR_REPORTING}
    assert list(AccessLimit.objects.filter(user=person).values_list("centre", flat=True)) == [world["police"].pk]


def test_service_refuses_non_register_roles_and_non_administrators(world):
    from referrals.access import RegisterAccess
    from referrals.services.administration import AdministrationError
    from referrals.services.register_users import register_role_grant, register_user_add

    with pytest.raises(AdministrationError):
        register_role_grant(user=world["admin"], organisation=world["trust"], role=Role.CENTRE_MANAGER)
    reporter_access = RegisterAccess(
        user=world["admin"],
        centre=world["trust"],
        register=world["register"],
        can_refer=False,
        can_report=True,
        can_administer=False,
        organisations=[world["trust"], world["council"], world["police"]],
    )
    with pytest.raises(AdministrationError, match="Only the register's administrators"):
        register_user_add(
            access=reporter_access,
            email="x@beta.example",
            first_name="X",
            last_name="Y",
            organisation=world["council"],
            role=Role.REFERRER,
        )
    assert not User.objects.filter(email="x@beta.example").exists()
