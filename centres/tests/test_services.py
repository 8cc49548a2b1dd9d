"""C5 delegate numbers, C8 role rules and permission sync, C1 centre creation."""

import re
import threading

import pytest
from django.db import connection

from centres.models import AuditEvent, Membership, RegistrationType, RoleAssignment
from centres.permissions import Permission
from centres.roles import ROLE_PERMISSIONS, Role
from centres.services.centres import centre_create
from centres.services.errors import CentreServiceError
from centres.services.memberships import delegate_number_allocate, membership_create
from centres.services.roles import role_grant, role_revoke
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_delegate_number_is_initials_and_a_number():
    number = delegate_number_allocate(first_name="Tara", last_name="Underhill")
    assert re.fullmatch(r"TU\d+", number)


def test_delegate_numbers_never_repeat_even_for_same_initials():
    numbers = {delegate_number_allocate(first_name="Tara", last_name="Underhill") for _ in range(50)}
    assert len(numbers) == 50


def test_delegate_number_for_names_without_letters():
    assert re.fullmatch(r"X\d+", delegate_number_allocate(first_name="", last_name="Ó'"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_get_distinct_numbers():
    results, errors = [], []

    def allocate():
        try:
            for _ in range(10):
                results.append(delegate_number_allocate(first_name="Ann", last_name="Able"))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 40
    assert len(set(results)) == 40


def test_membership_create_audits_and_refuses_a_second_record_at_the_same_centre():
    centre = CentreFactory()
    user = UserFactory()
    membership = membership_create(user=user, centre=centre, registration_type=RegistrationType.SELF, is_approved=False)
    assert membership.status == "unapproved"
    assert AuditEvent.objects.filter(centre=centre, action="membership.created").count() == 1
    with pytest.raises(CentreServiceError, match="already registered"):
        membership_create(user=user, centre=centre, registration_type=RegistrationType.SELF, is_approved=False)
    assert Membership.objects.filter(user=user).count() == 1


def test_centre_create_validates_code_and_prefixes():
    centre = centre_create(code="ltht", name="Leeds Teaching Hospitals", ip_prefixes=["10.160.", " 192.168.1."])
    assert centre.code == "LTHT"
    assert centre.ip_prefixes == ["10.160.", "192.168.1."]
    with pytest.raises(CentreServiceError, match="already exists"):
        centre_create(code="LTHT", name="Another")
    with pytest.raises(CentreServiceError, match="centre code"):
        centre_create(code="no spaces!", name="Bad")
    with pytest.raises(CentreServiceError, match="is not an IP prefix"):
        centre_create(code="OK1", name="Bad prefix", ip_prefixes=["10.0.0.0/8; drop"])


def _manager(centre):
    return MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user


def test_centre_manager_grants_role_with_permissions_and_audit():
    centre = CentreFactory()
    manager = _manager(centre)
    member = MembershipFactory(centre=centre)
    role_grant(user=member.user, centre=centre, role=Role.EDUCATOR, granted_by=manager)
    for permission in ROLE_PERMISSIONS[Role.EDUCATOR]:
        assert member.user.has_perm(permission.value, centre)
    assert not member.user.has_perm(Permission.GRANT_ROLES.value, centre)
    assert AuditEvent.objects.filter(centre=centre, action="role.granted", actor=manager).exists()


def test_permissions_apply_only_at_the_granting_centre():
    centre, other = CentreFactory(), CentreFactory()
    member = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    assert member.user.has_perm(Permission.MANAGE_DELEGATES.value, centre)
    assert not member.user.has_perm(Permission.MANAGE_DELEGATES.value, other)


def test_educator_may_nominate_assessors_only():
    centre = CentreFactory()
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR).user
    member = MembershipFactory(centre=centre)
    role_grant(user=member.user, centre=centre, role=Role.ASSESSOR, granted_by=educator)
    with pytest.raises(CentreServiceError, match="cannot grant"):
        role_grant(user=member.user, centre=centre, role=Role.ADMINISTRATOR, granted_by=educator)


@pytest.mark.parametrize(
    ("membership_kwargs", "user_kwargs", "message"),
    [
        ({"unapproved": True}, {}, "approved, active delegate"),
        ({"inactive": True}, {}, "approved, active delegate"),
        ({}, {"unclaimed": True}, "has not set a password"),
    ],
)
def test_role_preconditions(membership_kwargs, user_kwargs, message):
    centre = CentreFactory()
    manager = _manager(centre)
    member = MembershipFactory(centre=centre, user=UserFactory(**user_kwargs), **membership_kwargs)
    with pytest.raises(CentreServiceError, match=message):
        role_grant(user=member.user, centre=centre, role=Role.ASSESSOR, granted_by=manager)
    assert not RoleAssignment.objects.filter(user=member.user).exists()


def test_person_from_another_centre_cannot_be_promoted():
    centre = CentreFactory()
    manager = _manager(centre)
    outsider = MembershipFactory(centre=CentreFactory())
    with pytest.raises(CentreServiceError):
        role_grant(user=outsider.user, centre=centre, role=Role.ASSESSOR, granted_by=manager)


def test_revoking_one_role_keeps_permissions_of_another():
    centre = CentreFactory()
    manager = _manager(centre)
    member = MembershipFactory(centre=centre)
    educator = role_grant(user=member.user, centre=centre, role=Role.EDUCATOR, granted_by=manager)
    role_grant(user=member.user, centre=centre, role=Role.ASSESSOR, granted_by=manager)
    role_revoke(assignment=educator, revoked_by=manager)
    user = type(member.user).objects.get(pk=member.user.pk)  # fresh permission cache
    assert user.has_perm(Permission.ASSESS.value, centre)
    assert not user.has_perm(Permission.SIGN_OFF.value, centre)
    assert Membership.objects.filter(pk=member.pk, is_active=True).exists()  # record kept
    assert AuditEvent.objects.filter(action="role.revoked").count() == 1
    with pytest.raises(CentreServiceError, match="already been revoked"):
        role_revoke(assignment=educator, revoked_by=manager)


def test_nobody_grants_a_role_twice():
    centre = CentreFactory()
    manager = _manager(centre)
    member = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    with pytest.raises(CentreServiceError, match="already assessor"):
        role_grant(user=member.user, centre=centre, role=Role.ASSESSOR, granted_by=manager)
