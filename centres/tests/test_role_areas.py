"""Issue 16 item 9 (ADR 0048): roles for areas not built yet, or not used at the centre, are
neither offered nor granted, and a post of one is refused with the reason."""

import pytest
from django.urls import reverse

from centres.models import RoleAssignment
from centres.role_areas import role_area_register, role_area_unregister, role_unavailable_reason
from centres.roles import REGISTER_ROLES, Role
from centres.services.errors import CentreServiceError
from centres.services.roles import role_grant
from referrals.tests.factories import register_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory(name="Wharfedale Care Home")


@pytest.fixture
def authoriser_not_built():
    """The authoriser's area as if it were not built yet (no app registered it)."""
    role_area_unregister(Role.AUTHORISER)
    yield
    role_area_register(Role.AUTHORISER, name="care record eLearning")


def _person_url(member):
    return reverse("centres:person_roles", kwargs={"membership_id": member.public_id})


def test_every_role_has_an_area_in_the_installed_apps(centre):
    register_build(centres=[centre])
    assert {role for role in Role if role_unavailable_reason(role=role, centre=centre)} == set()


def test_register_roles_are_not_available_outside_a_register(centre):
    for role in REGISTER_ROLES:
        reason = role_unavailable_reason(role=role, centre=centre)
        assert "dynamic support register, which Wharfedale Care Home does not use" in reason
    assert role_unavailable_reason(role=Role.EDUCATOR, centre=centre) == ""


def test_a_role_for_an_area_not_built_is_not_offered_and_a_post_is_refused(
    client, login_as, centre, authoriser_not_built
):
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member = MembershipFactory(centre=centre)
    login_as(manager.user, centre)
    roles_page = client.get(reverse("centres:roles")).content.decode()
    assert "Authoriser" not in roles_page
    assert "Educator / manager" in roles_page
    page = client.get(_person_url(member)).content.decode()
    assert 'value="authoriser"' not in page
    assert 'value="educator"' in page
    response = client.post(_person_url(member), {"role": "authoriser"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The Authoriser role is for a part of the service that is not available yet" in body
    assert "<title>Error: " in body
    assert not RoleAssignment.objects.filter(user=member.user, role=Role.AUTHORISER).exists()
    with pytest.raises(CentreServiceError, match="not available yet"):
        role_grant(user=member.user, centre=centre, role=Role.AUTHORISER, granted_by=manager.user)


def test_register_roles_are_not_offered_outside_a_register(client, login_as, centre):
    """A register role is not offered where no register is used, and a post of one says so."""
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member = MembershipFactory(centre=centre)
    login_as(manager.user, centre)
    page = client.get(_person_url(member)).content.decode()
    assert 'value="referrer"' not in page
    response = client.post(_person_url(member), {"role": "referrer"})
    assert response.status_code == 400
    assert "which Wharfedale Care Home does not use" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=member.user, role=Role.REFERRER).exists()


def test_a_held_role_is_refused_with_a_clear_message(client, login_as, centre):
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    login_as(manager.user, centre)
    response = client.post(_person_url(member), {"role": "educator"})
    assert response.status_code == 400
    assert "already has the Educator / manager role" in response.content.decode()
    assert RoleAssignment.objects.filter(user=member.user, role=Role.EDUCATOR).count() == 1


def test_an_unknown_role_is_refused(client, login_as, centre):
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member = MembershipFactory(centre=centre)
    login_as(manager.user, centre)
    response = client.post(_person_url(member), {"role": "overlord"})
    assert response.status_code == 400
    assert "Select one of the roles listed" in response.content.decode()
