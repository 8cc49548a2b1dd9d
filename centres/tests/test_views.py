"""Choose a centre (C9), the current-centre middleware, the dashboard and the audit trail."""

import re

import pytest
from django.urls import reverse

from accounts.services import user_create, user_record_failed_login
from centres.audit import audit_record
from centres.middleware import SESSION_KEY
from centres.models import AuditEvent
from centres.roles import Role
from centres.services.roles import role_revoke
from tests.factories import PASSWORD, CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(client, login_name):
    return client.post(reverse("account_login"), {"login": login_name, "password": PASSWORD})


def test_one_centre_goes_straight_to_the_dashboard(client):
    membership = MembershipFactory()
    login(client, membership.user.email)
    response = client.get("/")
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == membership.centre.pk
    assert membership.centre.name in response.content.decode()


def test_several_centres_must_choose_and_statuses_are_shown(client):
    user = UserFactory()
    first = MembershipFactory(user=user, centre=CentreFactory(name="Airedale NHS Foundation Trust"))
    second = MembershipFactory(user=user, centre=CentreFactory(name="Bradford Teaching Hospitals"))
    MembershipFactory(user=user, centre=CentreFactory(name="Calderdale Council"), unapproved=True)
    MembershipFactory(user=user, centre=CentreFactory(name="Doncaster Care"), inactive=True)
    login(client, user.email)
    response = client.get("/")
    assert response["Location"] == reverse("choose_centre")

    page = client.get(reverse("choose_centre")).content.decode()
    for text in ("Airedale", "Bradford", "Calderdale", "Doncaster", "Awaiting approval", "Inactive"):
        assert text in page
    # Only active, approved registrations are offered as choices.
    assert page.count('type="radio"') == 2

    response = client.post(reverse("choose_centre"), {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "<title>Error: Choose a centre" in content
    assert "Select the centre you want to use" in content

    response = client.post(reverse("choose_centre"), {"centre": str(second.centre.public_id)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == second.centre.pk
    assert "Bradford Teaching Hospitals" in client.get("/").content.decode()
    assert AuditEvent.objects.filter(action="centre.chosen", centre=second.centre).exists()
    assert first.centre.pk != client.session[SESSION_KEY]


def test_a_link_to_a_centre_page_lands_there_when_only_one_centre_can_be_used(client):
    """One usable centre and one awaiting approval: a deep link (say from an email) goes
    through "Choose a centre" without asking, as the dashboard does."""
    user = UserFactory()
    usable = MembershipFactory(user=user, centre=CentreFactory(name="Airedale NHS Foundation Trust"))
    MembershipFactory(user=user, centre=CentreFactory(name="Calderdale Council"), unapproved=True)
    login(client, user.email)
    response = client.get("/passports/", follow=True)
    assert response.redirect_chain[-1][0] == "/passports/"
    assert client.session[SESSION_KEY] == usable.centre.pk


@pytest.mark.parametrize("status", ["unapproved", "inactive", "other-centre"])
def test_cannot_choose_a_centre_that_is_not_usable(client, status):
    user = UserFactory()
    MembershipFactory(user=user)
    MembershipFactory(user=user)
    if status == "other-centre":
        target = MembershipFactory().centre
    else:
        target = MembershipFactory(user=user, **{status: True}).centre
    login(client, user.email)
    response = client.post(reverse("choose_centre"), {"centre": str(target.public_id)})
    assert response.status_code == 400
    assert "Select one of the centres listed" in response.content.decode()
    assert client.session.get(SESSION_KEY) != target.pk


def test_next_parameter_is_followed_only_within_the_site(client):
    user = UserFactory()
    membership = MembershipFactory(user=user)
    MembershipFactory(user=user)
    login(client, user.email)
    data = {"centre": str(membership.centre.public_id), "next": "https://evil.example/"}
    assert client.post(reverse("choose_centre"), data)["Location"] == "/"
    data["next"] = "/centre/audit/"
    assert client.post(reverse("choose_centre"), data)["Location"] == "/centre/audit/"


def test_middleware_drops_the_centre_when_the_role_is_revoked(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user
    staff_only = UserFactory(platform_staff=False)
    # A person who holds a role at the centre without a delegate record.
    from tests.factories import grant_role

    staff = UserFactory(platform_staff=True)
    assignment = grant_role(staff_only, centre, Role.AUTHORISER)
    login_as(staff_only, centre)
    assert f"Centre: <strong>{centre.name}" in client.get("/").content.decode()
    role_revoke(assignment=assignment, revoked_by=staff)
    response = client.get("/")
    assert centre.name not in response.content.decode()
    assert SESSION_KEY not in client.session
    assert manager  # the centre still has its manager


def test_middleware_drops_the_centre_when_membership_is_deactivated(client, login_as):
    membership = MembershipFactory()
    login_as(membership.user, membership.centre)
    membership.is_active = False
    membership.save()
    content = client.get("/").content.decode()
    assert f"Centre: <strong>{membership.centre.name}" not in content
    assert membership.centre.name in content  # listed with its status, not as the current centre
    assert "inactive" in content.lower()
    assert SESSION_KEY not in client.session


def test_learner_dashboard(client, login_as):
    membership = MembershipFactory()
    login_as(membership.user, membership.centre)
    content = client.get("/").content.decode()
    assert membership.delegate_number in content
    assert "Learner" in content
    assert "Audit trail" not in content  # not in the navigation for a learner


def test_administrator_dashboard_counts_waiting_registrations(client, login_as):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    MembershipFactory(centre=centre, unapproved=True)
    MembershipFactory(centre=centre, unapproved=True)
    MembershipFactory(unapproved=True)  # another centre's
    login_as(admin.user, centre)
    content = client.get("/").content.decode()
    assert "2 registrations awaiting approval" in content  # "To do" (issue 16 item 1)


def test_platform_staff_dashboard(client, login_as):
    staff = UserFactory(platform_staff=True)
    login_as(staff)
    content = client.get("/").content.decode()
    assert "platform admin" in content.lower()
    # Platform staff have no centre: the menu offers the platform's pages, not a centre's
    # (My passports would only redirect).
    assert ">Centres<" in content
    assert "My passports" not in content


def test_user_with_no_centre_sees_an_explanation(client, login_as):
    user = user_create(email="new.person@trust.nhs.example", first_name="New", last_name="Person", password=PASSWORD)
    login_as(user)
    assert "not registered at any centre" in client.get("/").content.decode()


def test_audit_trail_is_for_permitted_roles_only(client, login_as):
    centre = CentreFactory()
    learner = MembershipFactory(centre=centre)
    login_as(learner.user, centre)
    response = client.get(reverse("centres:audit_trail"))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()


def test_audit_trail_lists_own_centre_with_constant_queries(client, login_as, django_assert_max_num_queries):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    for index in range(30):
        audit_record(actor=manager.user, centre=centre, action="test.event", summary=f"Event {index}")
    audit_record(actor=None, centre=CentreFactory(), action="test.event", summary="Elsewhere")
    login_as(manager.user, centre)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("centres:audit_trail"))
    assert response.status_code == 200
    content = response.content.decode()
    assert len(set(re.findall(r"Event \d+", content))) == 30
    assert "Elsewhere" not in content


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/centre/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _locked_member(centre):
    membership = MembershipFactory(centre=centre)
    for _ in range(5):
        user_record_failed_login(user=membership.user)
    membership.user.refresh_from_db()
    assert membership.user.is_locked
    return membership


def test_centre_manager_unlocks_an_account_at_their_centre(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    locked = _locked_member(centre)
    login_as(manager.user, centre)
    page = client.get(reverse("centres:locked_accounts")).content.decode()
    assert locked.delegate_number in page
    response = client.post(reverse("centres:unlock_account", kwargs={"membership_id": locked.public_id}), follow=True)
    assert f"{locked.user.get_full_name()} can log in again." in response.content.decode()
    locked.user.refresh_from_db()
    assert not locked.user.is_locked
    event = AuditEvent.objects.get(action="account.unlocked")
    assert (event.centre, event.actor) == (centre, manager.user)
    assert "No accounts at" in client.get(reverse("centres:locked_accounts")).content.decode()
    assert client.post("/accounts/login/", {"login": locked.user.email, "password": PASSWORD}).status_code == 302


def test_unlocking_an_account_that_is_not_locked_says_so(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    member = MembershipFactory(centre=centre)
    login_as(manager.user, centre)
    response = client.post(reverse("centres:unlock_account", kwargs={"membership_id": member.public_id}), follow=True)
    assert "account is not locked" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.EDUCATOR, None])
def test_only_centre_managers_unlock(client, login_as, role):
    centre = CentreFactory()
    member = MembershipFactory(centre=centre, role=role)
    locked = _locked_member(centre)
    login_as(member.user, centre)
    assert client.get(reverse("centres:locked_accounts")).status_code == 403
    response = client.post(reverse("centres:unlock_account", kwargs={"membership_id": locked.public_id}))
    assert response.status_code == 403
    locked.user.refresh_from_db()
    assert locked.user.is_locked


def test_unlock_with_a_malformed_id_is_404(client, login_as):
    centre = CentreFactory()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    login_as(manager.user, centre)
    assert client.post("/centre/locked-accounts/not-a-uuid/unlock/").status_code == 404
    assert client.get(reverse("centres:unlock_account", kwargs={"membership_id": manager.public_id})).status_code == 405
