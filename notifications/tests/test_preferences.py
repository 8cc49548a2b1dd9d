"""C11 notification preferences: which roles may receive which kind, the page, and the
`subscribers` selector other features call."""

from enum import StrEnum

import pytest
from django.urls import reverse

from centres import notification_rules
from centres.models import AuditEvent
from centres.notification_rules import kinds_for_roles, roles_for_kind
from centres.roles import Role
from centres.services.roles import role_revoke
from notifications import registry
from notifications.exceptions import NotificationError
from notifications.models import NotificationSubscription
from notifications.selectors import subscribers, subscribers_at_every_centre
from notifications.services import notification_subscriptions_replace
from passports import notifications as passport_kinds
from support import notifications as support_kinds
from tests.factories import MembershipFactory, UserFactory, grant_role


class Kind(StrEnum):
    """The kinds registered today, in the preferences page's order."""

    SYSTEM_NOTICE = registry.SYSTEM_NOTICE
    REGISTRATION_APPROVAL = notification_rules.REGISTRATION_APPROVAL
    SUPPORT_TICKET = support_kinds.SUPPORT_TICKET
    CONFIRMATION_REQUESTED = passport_kinds.CONFIRMATION_REQUESTED
    SIGN_OFF_REQUESTED = passport_kinds.SIGN_OFF_REQUESTED
    WEEKLY_SUMMARY = registry.WEEKLY_SUMMARY


pytestmark = pytest.mark.django_db

URL = "/account/notifications/"


# -- the rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "kinds"),
    [
        (set(), []),
        ({Role.ASSESSOR}, [Kind.SYSTEM_NOTICE, Kind.CONFIRMATION_REQUESTED]),
        (
            {Role.EDUCATOR},
            [Kind.SYSTEM_NOTICE, Kind.CONFIRMATION_REQUESTED, Kind.SIGN_OFF_REQUESTED, Kind.WEEKLY_SUMMARY],
        ),
        (
            {Role.ADMINISTRATOR},
            [Kind.SYSTEM_NOTICE, Kind.REGISTRATION_APPROVAL, Kind.SUPPORT_TICKET, Kind.WEEKLY_SUMMARY],
        ),
        (
            {Role.CENTRE_MANAGER},
            [Kind.SYSTEM_NOTICE, Kind.REGISTRATION_APPROVAL, Kind.SUPPORT_TICKET, Kind.WEEKLY_SUMMARY],
        ),
        ({Role.AUTHORISER}, [Kind.SYSTEM_NOTICE, Kind.WEEKLY_SUMMARY]),  # E2/E4: invitations and requests waiting
        ({Role.REFERRER}, [Kind.SYSTEM_NOTICE]),
        ({Role.ASSESSOR, Role.ADMINISTRATOR}, [k for k in Kind if k != Kind.SIGN_OFF_REQUESTED]),
        ({Role.EDUCATOR, Role.CENTRE_MANAGER}, list(Kind)),
    ],
)
def test_kinds_each_combination_of_roles_may_receive(roles, kinds):
    assert [kind.code for kind in kinds_for_roles(roles)] == kinds


def test_roles_for_kind():
    assert roles_for_kind(Kind.SYSTEM_NOTICE) == frozenset(Role)
    assert roles_for_kind(Kind.SUPPORT_TICKET) == {Role.ADMINISTRATOR, Role.CENTRE_MANAGER}
    assert roles_for_kind(Kind.REGISTRATION_APPROVAL) == {Role.ADMINISTRATOR, Role.CENTRE_MANAGER}
    assert roles_for_kind(Kind.CONFIRMATION_REQUESTED) == {Role.ASSESSOR, Role.EDUCATOR}
    assert roles_for_kind(Kind.SIGN_OFF_REQUESTED) == {Role.EDUCATOR}
    assert roles_for_kind(Kind.WEEKLY_SUMMARY) == {
        Role.EDUCATOR,
        Role.ADMINISTRATOR,
        Role.CENTRE_MANAGER,
        Role.AUTHORISER,
    }


# -- the page --------------------------------------------------------------------------------------


def test_page_offers_only_the_kinds_the_roles_allow(client, login_as, centre):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(assessor.user, centre)
    page = client.get(URL).content.decode()
    assert page.count('type="checkbox"') == 2
    assert "System notification added" in page
    assert "Confirmation requested" in page
    assert "Support ticket alerts" not in page
    assert "Delegate registration requires approval" not in page


def test_saving_replaces_the_set_and_audits(client, login_as, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(admin.user, centre)
    response = client.post(URL, {"kinds": [Kind.SYSTEM_NOTICE, Kind.SUPPORT_TICKET]})
    assert response.status_code == 302
    assert set(NotificationSubscription.objects.filter(user=admin.user).values_list("kind", flat=True)) == {
        Kind.SYSTEM_NOTICE,
        Kind.SUPPORT_TICKET,
    }
    page = client.get(URL).content.decode()
    assert "Your notification preferences have been saved." in page
    assert page.count("checked") == 2
    response = client.post(URL, {"kinds": [Kind.REGISTRATION_APPROVAL]})
    assert response.status_code == 302
    assert list(NotificationSubscription.objects.filter(user=admin.user).values_list("kind", flat=True)) == [
        Kind.REGISTRATION_APPROVAL
    ]
    client.post(URL, {})
    assert not NotificationSubscription.objects.filter(user=admin.user).exists()
    events = AuditEvent.objects.filter(action="notifications.preferences_changed", centre=centre)
    assert events.count() == 3
    assert "no notifications" in events.first().summary


def test_a_kind_the_roles_do_not_allow_is_refused(client, login_as, centre):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(assessor.user, centre)
    response = client.post(URL, {"kinds": [Kind.SUPPORT_TICKET]})
    assert response.status_code == 400
    assert "Select only the notifications listed" in response.content.decode()
    assert not NotificationSubscription.objects.filter(kind=Kind.SUPPORT_TICKET).exists()
    with pytest.raises(NotificationError, match="Support ticket alerts"):
        notification_subscriptions_replace(user=assessor.user, centre=centre, kinds=[Kind.SUPPORT_TICKET])


def test_preferences_are_per_centre(client, login_as, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    elsewhere = MembershipFactory(user=admin.user, role=Role.ADMINISTRATOR)
    NotificationSubscription.objects.create(user=admin.user, centre=elsewhere.centre, kind=Kind.SUPPORT_TICKET)
    login_as(admin.user, centre)
    assert "checked" not in client.get(URL).content.decode()
    client.post(URL, {"kinds": [Kind.SYSTEM_NOTICE]})
    assert NotificationSubscription.objects.filter(centre=elsewhere.centre, kind=Kind.SUPPORT_TICKET).exists()


def test_people_without_roles_see_an_explanation(client, login_as, centre):
    learner = MembershipFactory(centre=centre)
    login_as(learner.user, centre)
    page = client.get(URL).content.decode()
    assert 'type="checkbox"' not in page
    assert "You do not have a role at" in page
    assert client.post(URL, {"kinds": [Kind.SYSTEM_NOTICE]}).status_code == 200
    assert not NotificationSubscription.objects.exists()


def test_header_links_to_my_account_when_there_is_a_centre(client, login_as, centre):
    learner = MembershipFactory(centre=centre)
    login_as(learner.user, centre)
    page = client.get("/").content.decode()
    assert 'href="/account/"' in page
    assert page.index('href="/account/"') < page.index('href="/accounts/password/change/"')


# -- subscribers(centre, kind) ---------------------------------------------------------------------


def subscribe(membership, *kinds):
    for kind in kinds:
        NotificationSubscription.objects.create(user=membership.user, centre=membership.centre, kind=kind)


def test_subscribers_are_people_who_subscribed_and_still_hold_a_permitting_role(centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER, centre_email="Manager@Work.nhs.example")
    quiet_admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    subscribe(admin, Kind.REGISTRATION_APPROVAL, Kind.SUPPORT_TICKET)
    subscribe(manager, Kind.REGISTRATION_APPROVAL)
    subscribe(quiet_admin, Kind.SYSTEM_NOTICE)
    # A subscription the roles do not (or no longer) allow is ignored.
    subscribe(educator, Kind.REGISTRATION_APPROVAL, Kind.WEEKLY_SUMMARY)
    other = MembershipFactory(role=Role.ADMINISTRATOR)
    subscribe(other, Kind.REGISTRATION_APPROVAL)

    assert subscribers(centre, Kind.REGISTRATION_APPROVAL) == sorted([admin.user.email, "manager@work.nhs.example"])
    assert subscribers(centre, Kind.SUPPORT_TICKET) == [admin.user.email]
    assert subscribers(centre, Kind.WEEKLY_SUMMARY) == [educator.user.email]
    # Ticked for the educator when the role was granted (on_when_granted; ADR 0026).
    assert subscribers(centre=centre, kind=Kind.SIGN_OFF_REQUESTED) == [educator.user.email]
    assert subscribers(other.centre, Kind.REGISTRATION_APPROVAL) == [other.user.email]


def test_subscribers_drop_people_who_lost_the_role_or_the_record(centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    deactivated = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    inactive_user = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    for member in (admin, deactivated, inactive_user):
        subscribe(member, Kind.SUPPORT_TICKET)
    deactivated.is_active = False
    deactivated.save()
    inactive_user.user.is_active = False
    inactive_user.user.save()
    assert subscribers(centre, Kind.SUPPORT_TICKET) == [admin.user.email]
    assignment = admin.user.role_assignments.get(centre=centre, revoked_at__isnull=True)
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user
    role_revoke(assignment=assignment, revoked_by=manager)
    assert subscribers(centre, Kind.SUPPORT_TICKET) == []


def test_role_without_a_delegate_record_still_counts(centre):
    person = UserFactory()
    grant_role(person, centre, Role.AUTHORISER)
    NotificationSubscription.objects.create(user=person, centre=centre, kind=Kind.SYSTEM_NOTICE)
    assert subscribers(centre, Kind.SYSTEM_NOTICE) == [person.email]


def test_subscribers_at_every_centre_dedupes(centre):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    second = MembershipFactory(user=educator.user, role=Role.ASSESSOR)
    subscribe(educator, Kind.SYSTEM_NOTICE)
    subscribe(second, Kind.SYSTEM_NOTICE)
    assessor = MembershipFactory(role=Role.ASSESSOR)
    subscribe(assessor, Kind.SYSTEM_NOTICE)
    assert subscribers_at_every_centre(Kind.SYSTEM_NOTICE) == sorted([educator.user.email, assessor.user.email])


def test_subscribers_query_count(centre, django_assert_num_queries):
    for _ in range(5):
        subscribe(MembershipFactory(centre=centre, role=Role.ADMINISTRATOR), Kind.SUPPORT_TICKET)
    with django_assert_num_queries(1):
        assert len(subscribers(centre, Kind.SUPPORT_TICKET)) == 5


def test_notifications_page_redirects_without_a_centre(client, login_as):
    login_as(UserFactory())
    assert client.get(reverse("my_account:notifications"))["Location"].startswith("/choose-centre/")
