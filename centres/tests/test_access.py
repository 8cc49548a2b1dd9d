"""CentreAccess (ADR 0027): a person's roles and permissions at a centre, computed from their
active role assignments, built once per request; user.has_perm answers from the same rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from centres.access import EVERY_PERMISSION, centre_access_build
from centres.models import RoleAssignment
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLE_QUERY = 'SELECT "centres_roleassignment"."role" AS "role" FROM "centres_roleassignment"'


@pytest.fixture
def centre():
    return CentreFactory()


def test_permissions_are_the_roles_permissions_at_that_centre_only(centre):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    access = centre_access_build(user=educator.user, centre=centre)
    assert access.roles == {Role.EDUCATOR}
    assert access.permissions == {permission.value for permission in ROLE_PERMISSIONS[Role.EDUCATOR]}
    assert access.has(Permission.SIGN_OFF)
    assert access.has("centres.sign_off_passports")
    assert not access.has(Permission.MANAGE_DELEGATES)
    assert access.has_any(Permission.MANAGE_DELEGATES, Permission.ASSESS)
    assert not access.is_platform_staff
    elsewhere = centre_access_build(user=educator.user, centre=CentreFactory())
    assert elsewhere.roles == frozenset()
    assert elsewhere.permissions == frozenset()


def test_a_revoked_role_gives_nothing_and_has_perm_sees_it_at_once(centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    user = admin.user
    assert user.has_perm(Permission.MANAGE_DELEGATES.value, centre)
    assert user.has_perm(Permission.MANAGE_DELEGATES, centre)  # the enum member works too
    RoleAssignment.objects.filter(user=user).update(revoked_at=timezone.now())
    assert not user.has_perm(Permission.MANAGE_DELEGATES.value, centre)
    assert centre_access_build(user=user, centre=centre).permissions == frozenset()


def test_no_centre_anonymous_or_deactivated_hold_nothing_without_a_query(centre, django_assert_num_queries):
    member = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member.user.is_active = False
    with django_assert_num_queries(0):
        assert centre_access_build(user=member.user, centre=centre).permissions == frozenset()
        assert centre_access_build(user=AnonymousUser(), centre=centre).permissions == frozenset()
        assert centre_access_build(user=member.user, centre=None).permissions == frozenset()


def test_superuser_holds_every_permission_and_staff_are_marked(centre):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    access = centre_access_build(user=superuser, centre=centre)
    assert access.permissions == EVERY_PERMISSION
    assert access.is_platform_staff


def test_has_perm_ignores_other_objects_and_unknown_permissions(centre):
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    assert not manager.user.has_perm("centres.grant_roles", manager)  # not a centre
    assert not manager.user.has_perm("centres.no_such_thing", centre)


def test_built_once_per_request_whatever_the_page_asks(client, login_as, centre):
    """The home page's decorator, menu and sections ask about many permissions: one query
    for the person's roles, however many checks."""
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    login_as(manager.user, centre)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert sum(1 for query in queries.captured_queries if query["sql"].startswith(ROLE_QUERY)) == 1


def test_a_request_that_asks_nothing_builds_nothing(client, login_as, centre):
    """Lazily built: the health check of a logged-in browser asks about no permission."""
    learner = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(learner.user, centre)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert not any(query["sql"].startswith(ROLE_QUERY) for query in queries.captured_queries)
