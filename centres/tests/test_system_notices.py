"""C14 system notices: publishing, the dashboard, the read-only admin."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from notifications.exceptions import NotificationError
from notifications.models import NotificationSubscription, OutboundEmail, SystemNotice
from notifications.registry import SYSTEM_NOTICE
from notifications.services import system_notice_create, system_notice_publish
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"subject": "Cannot approve a registration", "category": "delegates", "detail": "The button does nothing."}


@pytest.fixture
def admin(centre):
    return MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)


@pytest.fixture
def staff():
    return UserFactory(platform_staff=True, email="pat.staff@platform.nhs.example")


def subscribe(membership, kind):
    NotificationSubscription.objects.create(user=membership.user, centre=membership.centre, kind=kind)


# -- C14 system notices -------------------------------------------------------------------------


def test_publishing_a_notice_emails_each_subscriber_once_and_shows_it_on_dashboards(
    client, login_as, staff, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = CentreFactory(), CentreFactory()
    educator = MembershipFactory(centre=first, role=Role.EDUCATOR)
    subscribe(educator, SYSTEM_NOTICE)
    # Subscribed at two centres: still one email.
    MembershipFactory(user=educator.user, centre=second, role=Role.ASSESSOR)
    NotificationSubscription.objects.create(user=educator.user, centre=second, kind=SYSTEM_NOTICE)
    assessor = MembershipFactory(centre=second, role=Role.ASSESSOR)
    subscribe(assessor, SYSTEM_NOTICE)
    not_subscribed = MembershipFactory(centre=first, role=Role.ADMINISTRATOR)
    learner = MembershipFactory(centre=first)
    # A subscription left behind by someone whose role was revoked is not used.
    NotificationSubscription.objects.create(user=learner.user, centre=first, kind=SYSTEM_NOTICE)

    login_as(staff)
    response = client.post(
        reverse("platform:notices"),
        {
            "title": "Planned maintenance",
            "body": "The platform is down on Sunday 06:00-08:00.",
            "action": "publish",
        },
    )
    # Publishing is confirmed first: nothing is shown or sent yet.
    notice = SystemNotice.objects.get()
    assert response["Location"] == reverse("platform:notice_publish", kwargs={"notice_id": notice.public_id})
    assert notice.published_at is None
    confirm = client.get(response["Location"]).content.decode()
    assert "2 subscribers" in confirm
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    notice.refresh_from_db()
    assert notice.published_at is not None
    assert notice.created_by == staff
    assert sorted(message.to for message in mailoutbox) == sorted([[educator.user.email], [assessor.user.email]])
    assert OutboundEmail.objects.filter(template="notifications/emails/system_notice").count() == 2
    assert "Planned maintenance" in mailoutbox[0].subject
    assert "2 subscribers will be emailed" in client.get(reverse("platform:notices")).content.decode()
    for member in (learner, not_subscribed, educator):
        login_as(member.user, member.centre)
        page = client.get("/").content.decode()
        assert "Planned maintenance" in page
        assert "The platform is down on Sunday" in page


def test_draft_notice_is_not_shown_or_emailed_until_published(
    client, login_as, staff, django_capture_on_commit_callbacks, mailoutbox
):
    educator = MembershipFactory(role=Role.EDUCATOR)
    subscribe(educator, SYSTEM_NOTICE)
    login_as(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("platform:notices"), {"title": "Draft news", "body": "Soon", "action": "draft"})
    notice = SystemNotice.objects.get()
    assert notice.published_at is None
    assert mailoutbox == []
    assert "Draft" in client.get(reverse("platform:notices")).content.decode()
    educator_client = login_as(educator.user, educator.centre, test_client=Client())
    assert "Draft news" not in educator_client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("platform:notice_publish", kwargs={"notice_id": notice.public_id}))
    assert [message.to for message in mailoutbox] == [[educator.user.email]]
    assert "Draft news" in educator_client.get("/").content.decode()
    # Publishing twice sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("platform:notice_publish", kwargs={"notice_id": notice.public_id}), follow=True)
    assert "already been published" in response.content.decode()
    assert len(mailoutbox) == 1


def test_expired_and_withdrawn_notices_leave_the_dashboard(client, login_as, staff):
    learner = MembershipFactory()
    notice = system_notice_create(title="Old news", body="Gone", created_by=staff, publish=True)
    login_as(learner.user, learner.centre)
    assert "Old news" in client.get("/").content.decode()
    SystemNotice.objects.filter(pk=notice.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "Old news" not in client.get("/").content.decode()
    current = system_notice_create(
        title="Current news", body="Here", created_by=staff, publish=True, expires_at=timezone.now() + timedelta(days=2)
    )
    assert "Current news" in client.get("/").content.decode()
    staff_client = login_as(staff, test_client=Client())
    staff_client.post(reverse("platform:notice_withdraw", kwargs={"notice_id": current.public_id}))
    assert "Current news" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x"}, "Enter a title"),
        ({"title": "x" * 201, "body": "x"}, "Title must be 200 characters or fewer"),
        ({"title": "x", "body": ""}, "Enter the notice"),
        ({"title": "x", "body": "x" * 5001}, "The notice must be 5000 characters or fewer"),
        ({"title": "x", "body": "x", "show_until": "2001-01-01"}, "must be today or in the future"),
        ({"title": "x", "body": "x", "show_until": "31/02/2030"}, "Enter the last day as a real date"),
    ],
)
def test_bad_notice_input_is_refused(client, login_as, staff, data, message):
    login_as(staff)
    response = client.post(reverse("platform:notices"), {**data, "action": "publish"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SystemNotice.objects.exists()


def test_notice_show_until_is_the_end_of_that_day(client, login_as, staff):
    login_as(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("platform:notices"),
        {"title": "Until tomorrow", "body": "x", "show_until": tomorrow.isoformat(), "action": "publish"},
    )
    client.post(response["Location"])
    notice = SystemNotice.objects.get()
    assert timezone.localtime(notice.expires_at).date() == tomorrow + timedelta(days=1)
    assert timezone.localtime(notice.expires_at).hour == 0


def test_publish_service_refuses_non_staff(admin):
    notice = SystemNotice.objects.create(title="t", body="b")
    with pytest.raises(NotificationError):
        system_notice_publish(notice=notice, published_by=admin.user)


def test_system_notice_admin_is_read_only(client, staff):
    staff.is_superuser = True
    staff.save()
    notice = SystemNotice.objects.create(title="In the admin", body="b")
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert "In the admin" in client.get("/admin/notifications/systemnotice/").content.decode()
    assert client.get("/admin/notifications/systemnotice/add/").status_code == 403
    change = client.get(f"/admin/notifications/systemnotice/{notice.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()


def test_a_person_can_dismiss_a_notice_for_their_session(client, login_as, staff, admin):
    """Issue 16 item 11: the banner has a Dismiss button (a POST; no JavaScript)."""
    notice = system_notice_create(title="Planned downtime", body="Sunday 6am", created_by=staff, publish=True)
    login_as(admin.user, admin.centre)
    assert "Planned downtime" in client.get("/").content.decode()
    dismiss = reverse("notice_dismiss", kwargs={"notice_id": notice.public_id})
    assert client.get(dismiss).status_code == 405  # never by a GET
    response = client.post(dismiss)
    assert response.status_code == 302
    assert "Planned downtime" not in client.get("/").content.decode()
    client.post(dismiss)  # twice is harmless
    assert client.session["dismissed_notices"] == [str(notice.public_id)]
    # Another session still sees it.
    other = login_as(admin.user, admin.centre, test_client=Client())
    assert "Planned downtime" in other.get("/").content.decode()


def test_only_a_shown_notice_can_be_dismissed(client, login_as, staff, admin):
    draft = system_notice_create(title="Draft", body="Not yet", created_by=staff, publish=False)
    login_as(admin.user, admin.centre)
    assert client.post(reverse("notice_dismiss", kwargs={"notice_id": draft.public_id})).status_code == 404
