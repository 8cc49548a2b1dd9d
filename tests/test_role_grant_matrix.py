"""Issue 11, finding 2: who may grant, revoke and limit which role, for whom (ADR 0016).

Every role (and a plain learner, platform staff and a limited DSR administrator) x every
grantable role x self/other, through the services and through the pages (posting values the
page never offered). The expected answers are written out here from DESIGN.md's role table,
not taken from `centres.roles`, so a change to the rule has to change this table too.

On the old code a centre manager could give themselves (and anyone) DSR administrator, which
reads every organisation's referrals: `test_grant_matrix_through_the_service[centre_manager]`
and the page tests failed there.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from centres.middleware import SESSION_KEY
from centres.models import Membership, RoleAssignment
from centres.roles import Role
from centres.services.errors import CentreServiceError
from centres.services.roles import object_permissions_sync, role_grant, role_revoke
from conftest import ALL_ROLES
from referrals.access import register_access_for_user
from referrals.models import AccessLimit
from referrals.selectors.administration import register_user_for_access
from referrals.services.administration import AdministrationError, register_user_remove, register_user_update
from referrals.tests.factories import register_build, register_person
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CENTRE = {Role.ASSESSOR, Role.EDUCATOR, Role.ADMINISTRATOR, Role.CENTRE_MANAGER, Role.AUTHORISER}
CENTRE |= {Role.SENIOR_PORTAL_ADMIN}
REGISTER = {Role.REFERRER, Role.DSR_REPORTING, Role.DSR_ADMIN}
assert set(Role) == CENTRE | REGISTER, "a new role must be placed in the table below"

PLATFORM_STAFF = "platform_staff"
LIMITED_DSR_ADMIN = "limited_dsr_admin"
ACTORS = [*ALL_ROLES, PLATFORM_STAFF, LIMITED_DSR_ADMIN]

# DESIGN.md, "Roles and who may grant them", for another person at the actor's organisation
# (with no limits: the centres service gives a role at one place, unlimited).
MAY_GRANT: dict = {role: set() for role in ACTORS}
MAY_GRANT[Role.CENTRE_MANAGER] = set(CENTRE)
MAY_GRANT[Role.EDUCATOR] = {Role.ASSESSOR}
MAY_GRANT[Role.DSR_ADMIN] = set(REGISTER)
MAY_GRANT[PLATFORM_STAFF] = {Role.CENTRE_MANAGER, Role.AUTHORISER, Role.SENIOR_PORTAL_ADMIN} | REGISTER
MAY_GRANT[LIMITED_DSR_ADMIN] = {Role.REFERRER}  # the others only with limits (register pages)


def _label(actor) -> str:
    return actor if isinstance(actor, str) else (actor.value if actor else "learner")


@pytest.fixture
def world():
    home, partner = CentreFactory(name="Home Trust"), CentreFactory(name="Partner Council")
    register = register_build(name="Matrix DSR", slug="matrix-dsr", centres=[home, partner])
    actors = {role: MembershipFactory(centre=home, role=role).user for role in ALL_ROLES}
    actors[PLATFORM_STAFF] = UserFactory(platform_staff=True)
    actors[LIMITED_DSR_ADMIN] = register_person(centre=home, role=Role.DSR_ADMIN, limited_to=[home])
    other = MembershipFactory(centre=home).user
    return {"home": home, "partner": partner, "register": register, "actors": actors, "other": other}


class _Undo(Exception):
    pass


def _try(call) -> str:
    """Run `call` in a savepoint that is always rolled back; "" if it succeeded, else the refusal."""
    outcome = ""
    try:
        with transaction.atomic():
            try:
                call()
            except (CentreServiceError, AdministrationError) as error:
                outcome = str(error) or "refused"
            raise _Undo
    except _Undo:
        pass
    return outcome


def _active(user, centre) -> set[Role]:
    return {
        Role(value)
        for value in RoleAssignment.objects.filter(user=user, centre=centre, revoked_at__isnull=True).values_list(
            "role", flat=True
        )
    }


@pytest.mark.parametrize("actor_key", ACTORS, ids=_label)
def test_grant_matrix_through_the_service(world, actor_key):
    actor, home = world["actors"][actor_key], world["home"]
    for subject_name, subject in (("other", world["other"]), ("self", actor)):
        before = _active(subject, home)
        for role in Role:
            if role in before:
                continue
            refusal = _try(
                lambda role=role, subject=subject: role_grant(
                    user=subject, centre=home, role=role, granted_by=actor
                )
            )
            expected = subject_name == "other" and role in MAY_GRANT[actor_key]
            assert (refusal == "") is expected, (_label(actor_key), role.value, subject_name, refusal)
            if subject_name == "self":
                assert "yourself" in refusal
        assert _active(subject, home) == before  # every attempt was rolled back or refused


@pytest.mark.parametrize("actor_key", ACTORS, ids=_label)
def test_revoke_matrix_through_the_service(world, actor_key):
    """Revoking another person's role needs the same authority as granting it; giving up
    one's own role is allowed where one could grant it (the last centre manager excepted)."""
    actor, home, other = world["actors"][actor_key], world["home"], world["other"]
    staff = world["actors"][PLATFORM_STAFF]
    manager = world["actors"][Role.CENTRE_MANAGER]
    for role in Role:
        granter = staff if role in REGISTER | {Role.CENTRE_MANAGER} else manager
        role_grant(user=other, centre=home, role=role, granted_by=granter)
    for assignment in RoleAssignment.objects.filter(user=other, centre=home, revoked_at__isnull=True):
        refusal = _try(lambda a=assignment: role_revoke(assignment=a, revoked_by=actor))
        # `other` now holds every role, DSR administrator for every organisation among them, so a
        # limited administrator may take none of their register roles away.
        expected = Role(assignment.role) in MAY_GRANT[actor_key] and actor_key != LIMITED_DSR_ADMIN
        assert (refusal == "") is expected, (_label(actor_key), assignment.role, "other", refusal)
    for assignment in RoleAssignment.objects.filter(user=actor, centre=home, revoked_at__isnull=True):
        refusal = _try(lambda a=assignment: role_revoke(assignment=a, revoked_by=actor))
        own = Role(assignment.role)
        expected = own in MAY_GRANT[actor_key] or (actor_key == LIMITED_DSR_ADMIN and own in REGISTER)
        assert (refusal == "") is expected, (_label(actor_key), assignment.role, "self", refusal)
    assert len(_active(other, home)) == len(Role)


def test_the_last_centre_manager_cannot_give_up_the_role(world):
    centre = CentreFactory()
    staff = world["actors"][PLATFORM_STAFF]
    only = MembershipFactory(centre=centre).user
    grant = role_grant(user=only, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    with pytest.raises(CentreServiceError, match="only centre manager"):
        role_revoke(assignment=grant, revoked_by=only)
    second = MembershipFactory(centre=centre).user
    role_grant(user=second, centre=centre, role=Role.CENTRE_MANAGER, granted_by=only)
    role_revoke(assignment=grant, revoked_by=only)  # now another remains
    assert _active(only, centre) == set()
    # Platform staff may still take the role from the last one (and name someone else).
    last = RoleAssignment.objects.get(user=second, centre=centre, revoked_at__isnull=True)
    role_revoke(assignment=last, revoked_by=staff)


# -- the pages: values the page never offered ------------------------------------------------


def _login(client, user, centre):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()


PAGE_ACTORS = [role for role in ALL_ROLES if role is not None] + [None, LIMITED_DSR_ADMIN]


@pytest.mark.parametrize("actor_key", PAGE_ACTORS, ids=_label)
def test_grant_matrix_through_the_roles_page(client, world, actor_key):
    """Every role posted to /centre/roles/people/<id>/ for self and other: only what the rule
    allows is written; the rest is refused (403 without the page, else 400) with nothing written."""
    actor, home = world["actors"][actor_key], world["home"]
    _login(client, actor, home)
    may_use_page = actor_key in (Role.CENTRE_MANAGER, Role.EDUCATOR)
    for subject_name, subject in (("other", world["other"]), ("self", actor)):
        membership = Membership.objects.get(user=subject, centre=home)
        url = reverse("centres:person_roles", kwargs={"membership_id": membership.public_id})
        for role in Role:
            before = _active(subject, home)
            if role in before:
                continue
            response = client.post(url, {"role": role.value})
            # DSR administrators give register roles on the register's pages (below), not here.
            expected = may_use_page and subject_name == "other" and role in MAY_GRANT[actor_key]
            if expected:
                assert response.status_code == 302, (_label(actor_key), role.value, subject_name)
                assert role in _active(subject, home)
                RoleAssignment.objects.filter(user=subject, centre=home, role=role).delete()
                object_permissions_sync(user=subject, centre=home)
            else:
                assert response.status_code == (400 if may_use_page else 403), (
                    _label(actor_key),
                    role.value,
                    subject_name,
                )
                assert _active(subject, home) == before


@pytest.mark.parametrize("actor_key", [Role.CENTRE_MANAGER, Role.EDUCATOR], ids=_label)
def test_revoke_links_and_tampered_revokes_on_the_roles_page(client, world, actor_key):
    actor, home, other = world["actors"][actor_key], world["home"], world["other"]
    staff = world["actors"][PLATFORM_STAFF]
    for role in REGISTER | {Role.ASSESSOR, Role.ADMINISTRATOR}:
        granter = staff if role in REGISTER else world["actors"][Role.CENTRE_MANAGER]
        role_grant(user=other, centre=home, role=role, granted_by=granter)
    _login(client, actor, home)
    membership = Membership.objects.get(user=other, centre=home)
    page = client.get(reverse("centres:person_roles", kwargs={"membership_id": membership.public_id}))
    for assignment in RoleAssignment.objects.filter(user=other, centre=home, revoked_at__isnull=True):
        url = reverse("centres:revoke_role", kwargs={"assignment_id": assignment.public_id})
        allowed = Role(assignment.role) in MAY_GRANT[actor_key]
        assert (url in page.content.decode()) is allowed, assignment.role
        client.post(url)
        assignment.refresh_from_db()
        assert (assignment.revoked_at is not None) is allowed, assignment.role


def test_centre_manager_cannot_give_themselves_dsr_administrator_through_any_page(client, world):
    """The reported break: a centre manager made themselves DSR administrator (unlimited)."""
    manager, home = world["actors"][Role.CENTRE_MANAGER], world["home"]
    _login(client, manager, home)
    membership = Membership.objects.get(user=manager, centre=home)
    url = reverse("centres:person_roles", kwargs={"membership_id": membership.public_id})
    assert "DSR administrator" not in client.get(url).content.decode().split("Current roles")[1]
    assert client.post(url, {"role": Role.DSR_ADMIN.value}).status_code == 400
    assert client.get(reverse("referrals:user_add")).status_code == 403
    assert client.post(reverse("referrals:user_add"), {"email": manager.email, "role": "dsr_admin"}).status_code == 403
    assert _active(manager, home) == {Role.CENTRE_MANAGER}
    assert register_access_for_user(user=manager, centre=home) is None


# -- the register's user pages and services ----------------------------------------------------


def _register_people(world):
    home = world["home"]
    return {
        "self": None,  # filled per actor
        "unlimited admin": register_person(centre=home, role=Role.DSR_ADMIN),
        "limited admin": register_person(centre=home, role=Role.DSR_ADMIN, limited_to=[home]),
        "reporting user": register_person(centre=home, role=Role.DSR_REPORTING),
        "referrer": register_person(centre=home, role=Role.REFERRER),
    }


def _register_expected(*, actor_limited: bool, subject_name: str, role: Role, limits: list) -> bool:
    if subject_name == "self":
        return False  # nobody changes their own access
    if actor_limited and subject_name == "unlimited admin":
        return False  # a limited administrator cannot demote or limit an unlimited one
    # A limited administrator gives only limited access.
    return not (actor_limited and role != Role.REFERRER and not limits)


def _snapshot(user, register):
    return (
        {(a.centre_id, a.role) for a in RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)},
        set(AccessLimit.objects.filter(register=register, user=user).values_list("centre_id", flat=True)),
    )


@pytest.mark.parametrize("actor_key", [Role.DSR_ADMIN, LIMITED_DSR_ADMIN], ids=_label)
def test_register_user_changes_matrix_through_the_service(world, actor_key):
    actor, home = world["actors"][actor_key], world["home"]
    people = _register_people(world)
    people["self"] = actor
    access = register_access_for_user(user=actor, centre=home)
    for subject_name, subject in people.items():
        person = register_user_for_access(access=access, user_id=subject.public_id)
        for role in REGISTER:
            for limits in ([], [home]):
                refusal = _try(
                    lambda p=person, r=role, lim=limits: register_user_update(
                        access=access, person=p, role=r, limited_to=lim
                    )
                )
                expected = _register_expected(
                    actor_limited=actor_key == LIMITED_DSR_ADMIN, subject_name=subject_name, role=role, limits=limits
                )
                assert (refusal == "") is expected, (_label(actor_key), subject_name, role.value, limits, refusal)
        removal = _try(lambda p=person: register_user_remove(access=access, person=p))
        may_remove = not (actor_key == LIMITED_DSR_ADMIN and subject_name == "unlimited admin")
        assert (removal == "") is may_remove, (_label(actor_key), subject_name, "remove", removal)


@pytest.mark.parametrize("actor_key", [Role.DSR_ADMIN, LIMITED_DSR_ADMIN], ids=_label)
def test_register_user_changes_matrix_through_the_pages(client, world, actor_key):
    actor, home, register = world["actors"][actor_key], world["home"], world["register"]
    people = _register_people(world)
    people["self"] = actor
    _login(client, actor, home)
    for subject_name, subject in people.items():
        url = reverse("referrals:user_edit", kwargs={"user_id": subject.public_id})
        for role in REGISTER:
            for limits in ([], [home]):
                before = _snapshot(subject, register)
                response = client.post(url, {"role": role.value, "limited_to": [c.pk for c in limits]})
                expected = _register_expected(
                    actor_limited=actor_key == LIMITED_DSR_ADMIN, subject_name=subject_name, role=role, limits=limits
                )
                if expected:
                    assert response.status_code == 302, (_label(actor_key), subject_name, role.value, limits)
                    # Put the person back as they were for the next case.
                    RoleAssignment.objects.filter(user=subject).delete()
                    AccessLimit.objects.filter(user=subject).delete()
                    for centre_id, held in before[0]:
                        RoleAssignment.objects.create(user=subject, centre_id=centre_id, role=held)
                    for centre_id in before[1]:
                        AccessLimit.objects.create(register=register, user=subject, centre_id=centre_id)
                    object_permissions_sync(user=subject, centre=home)
                else:
                    assert response.status_code == 400, (_label(actor_key), subject_name, role.value, limits)
                    assert _snapshot(subject, register) == before
    # Adding someone with a role posted by hand: a limited administrator must limit them.
    add = {"first_name": "Nia", "last_name": "New", "email": "nia.new@home.example", "organisation": home.pk}
    response = client.post(reverse("referrals:user_add"), {**add, "role": Role.DSR_ADMIN.value})
    assert response.status_code == (400 if actor_key == LIMITED_DSR_ADMIN else 302)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_centre_managers_giving_up_the_role_at_once_leave_one():
    """The centre row is locked before counting, so two managers leaving at the same moment
    cannot both go (the second is told they are the only one)."""
    import threading

    from django.db import connection

    centre = CentreFactory()
    managers = [MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user for _ in range(2)]
    # The factory's own manager would be a third: take it away first, through the service.
    for grant in RoleAssignment.objects.filter(centre=centre, role=Role.CENTRE_MANAGER).exclude(user__in=managers):
        role_revoke(assignment=grant, revoked_by=managers[0])
    barrier, outcomes = threading.Barrier(2), []

    def leave(manager):
        try:
            grant = RoleAssignment.objects.get(user=manager, centre=centre, role=Role.CENTRE_MANAGER)
            barrier.wait()
            role_revoke(assignment=grant, revoked_by=manager)
            outcomes.append("left")
        except CentreServiceError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(manager,)) for manager in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("left") == 1, outcomes
    assert any("only centre manager" in outcome for outcome in outcomes), outcomes
    assert RoleAssignment.objects.filter(centre=centre, role=Role.CENTRE_MANAGER, revoked_at__isnull=True).count() == 1
