"""C13 support tickets, the centre side and the platform side."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from centres.services.errors import CentreServiceError
from notifications.models import NotificationKind, NotificationSubscription, SystemNotice
from support.models import SupportTicket
from support.services import support_ticket_answer, support_ticket_raise
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {"subject": "Cannot approve a registration", "category": "delegates", "detail": "The button does nothing."}


@pytest.fixture
def admin(centre):
    return MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)


@pytest.fixture
def staff():
    return UserFactory(platform_staff=True, email="pat.staff@platform.nhs.example")


def raise_ticket(membership, **overrides):
    return support_ticket_raise(centre=membership.centre, raised_by=membership.user, **{**VALID, **overrides})


def subscribe(membership, kind):
    NotificationSubscription.objects.create(user=membership.user, centre=membership.centre, kind=kind)


# -- raising a ticket ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.CENTRE_MANAGER])
def test_administrators_and_managers_raise_a_ticket_and_the_platform_is_emailed(
    client, login_as, centre, role, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.PLATFORM_SUPPORT_EMAIL = "helpdesk@platform.nhs.example"
    member = MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(reverse("centres:support_tickets")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("centres:support_ticket_new"), VALID)
    ticket = SupportTicket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("centres:support_ticket", kwargs={"ticket_id": ticket.public_id})
    assert (ticket.centre, ticket.raised_by, ticket.status) == (centre, member.user, "open")
    assert AuditEvent.objects.filter(action="support.ticket_raised", centre=centre).exists()
    assert [message.to for message in mailoutbox] == [["helpdesk@platform.nhs.example"]]
    assert "Cannot approve a registration" in mailoutbox[0].subject
    assert f"/platform/support/{ticket.public_id}/" in mailoutbox[0].body
    page = client.get(reverse("centres:support_tickets")).content.decode()
    assert "Cannot approve a registration" in page
    assert "Waiting for the platform team" in page


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.EDUCATOR, Role.AUTHORISER])
def test_other_roles_cannot_raise_tickets(client, login_as, centre, role):
    member = MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(reverse("centres:support_tickets")).status_code == 403
    assert client.post(reverse("centres:support_ticket_new"), VALID).status_code == 403
    assert not SupportTicket.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**VALID, "subject": "  "}, "Enter a subject"),
        ({**VALID, "subject": "x" * 201}, "Subject must be 200 characters or fewer"),
        ({**VALID, "detail": ""}, "Enter a description of the problem"),
        ({**VALID, "detail": "x" * 5001}, "The description must be 5000 characters or fewer"),
        ({**VALID, "category": ""}, "Select what your question is about"),
        ({**VALID, "category": "gossip"}, "Select one of the options listed"),
    ],
)
def test_bad_ticket_input_is_refused_with_a_message(client, login_as, admin, data, message):
    login_as(admin.user, admin.centre)
    response = client.post(reverse("centres:support_ticket_new"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "<title>Error: Raise a support ticket" in content
    assert not SupportTicket.objects.exists()


def test_service_refuses_bad_input_too(admin):
    with pytest.raises(CentreServiceError, match="Enter a subject"):
        raise_ticket(admin, subject=" ")
    with pytest.raises(CentreServiceError, match="Select what your question is about"):
        raise_ticket(admin, category="nonsense")


def test_another_centres_ticket_and_malformed_ids_give_404(client, login_as, admin):
    other = MembershipFactory(role=Role.ADMINISTRATOR)
    theirs = raise_ticket(other)
    login_as(admin.user, admin.centre)
    url = reverse("centres:support_ticket", kwargs={"ticket_id": theirs.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Let me in"}).status_code == 404
    assert client.get(reverse("centres:support_ticket", kwargs={"ticket_id": uuid.uuid4()})).status_code == 404
    assert client.get("/centre/support/not-a-uuid/").status_code == 404
    assert theirs.replies.count() == 0
    assert theirs.subject not in client.get(reverse("centres:support_tickets")).content.decode()


def test_centre_reply_reopens_the_ticket_and_tells_the_platform(
    client, login_as, admin, staff, django_capture_on_commit_callbacks, mailoutbox
):
    ticket = raise_ticket(admin)
    support_ticket_answer(ticket=ticket, author=staff, body="Try again now.")
    ticket.refresh_from_db()
    assert ticket.status == "answered"
    mailoutbox.clear()
    login_as(admin.user, admin.centre)
    url = reverse("centres:support_ticket", kwargs={"ticket_id": ticket.public_id})
    page = client.get(url).content.decode()
    assert "Try again now." in page
    assert "Platform team" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Still broken, sorry."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert [reply.body for reply in ticket.replies.all()] == ["Try again now.", "Still broken, sorry."]
    assert [message.to for message in mailoutbox] == [["support@platform.nhs.example"]]
    response = client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert "Enter your reply" in response.content.decode()


# -- the platform side --------------------------------------------------------------------------


def test_non_staff_get_403_on_platform_pages(client, login_as, admin):
    ticket = raise_ticket(admin)
    manager = MembershipFactory(centre=admin.centre, role=Role.CENTRE_MANAGER)
    login_as(manager.user, manager.centre)
    urls = [
        reverse("platform:support_tickets"),
        reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id}),
        reverse("platform:notices"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    post_urls = [
        reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id}),
        reverse("platform:support_ticket_close", kwargs={"ticket_id": ticket.public_id}),
        reverse("platform:notices"),
    ]
    for url in post_urls:
        assert client.post(url, {"body": "x", "title": "x", "action": "publish"}).status_code == 403, url
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert not ticket.replies.exists()
    assert not SystemNotice.objects.exists()


def test_platform_pages_send_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("platform:support_tickets"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_list_every_centres_tickets_filtered_by_status(client, login_as, admin, staff):
    other = MembershipFactory(role=Role.CENTRE_MANAGER)
    open_ticket = raise_ticket(admin, subject="Open one at the first centre")
    answered = raise_ticket(other, subject="Answered one at the second centre")
    support_ticket_answer(ticket=answered, author=staff, body="Done")
    login_as(staff)
    page = client.get(reverse("platform:support_tickets")).content.decode()  # open by default
    assert open_ticket.subject in page
    assert "Needs an answer (1)" in page
    assert "All (2)" in page
    assert answered.subject not in page
    page = client.get(reverse("platform:support_tickets") + "?status=answered").content.decode()
    assert answered.subject in page
    assert open_ticket.subject not in page
    assert other.centre.name in page
    page = client.get(reverse("platform:support_tickets") + "?status=all").content.decode()
    assert open_ticket.subject in page
    assert answered.subject in page
    # An unknown filter falls back to open tickets rather than failing.
    assert client.get(reverse("platform:support_tickets") + "?status=<script>").status_code == 200
    assert client.get("/platform/support/not-a-uuid/").status_code == 404
    assert client.get(reverse("platform:support_ticket", kwargs={"ticket_id": uuid.uuid4()})).status_code == 404


def test_staff_answer_emails_the_raiser_and_subscribers_once_each(
    client, login_as, admin, staff, django_capture_on_commit_callbacks, mailoutbox
):
    centre = admin.centre
    ticket = raise_ticket(admin)
    subscribed_manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER, centre_email="cm@work.nhs.example")
    subscribe(subscribed_manager, NotificationKind.SUPPORT_TICKET)
    subscribe(admin, NotificationKind.SUPPORT_TICKET)  # the raiser, subscribed too: still one email
    unsubscribed = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    other_kind = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    subscribe(other_kind, NotificationKind.SYSTEM_NOTICE)
    elsewhere = MembershipFactory(role=Role.ADMINISTRATOR)
    subscribe(elsewhere, NotificationKind.SUPPORT_TICKET)
    mailoutbox.clear()
    login_as(staff)
    url = reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id})
    assert ticket.detail in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "We have fixed the approve button."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "answered"
    reply = ticket.replies.get()
    assert reply.from_platform_team
    assert reply.author == staff
    assert sorted(message.to[0] for message in mailoutbox) == sorted([admin.user.email, "cm@work.nhs.example"])
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert unsubscribed.user.email not in str([m.to for m in mailoutbox])
    assert elsewhere.user.email not in str([m.to for m in mailoutbox])
    assert "We have fixed the approve button." in mailoutbox[0].body
    assert f"/centre/support/{ticket.public_id}/" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="support.ticket_answered", centre=centre, actor=staff).exists()


def test_staff_answer_must_not_be_empty(client, login_as, admin, staff):
    ticket = raise_ticket(admin)
    login_as(staff)
    url = reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id})
    response = client.post(url, {"body": ""})
    assert response.status_code == 400
    assert "Enter your reply" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_staff_close_a_ticket(client, login_as, admin, staff):
    ticket = raise_ticket(admin)
    login_as(staff)
    url = reverse("platform:support_ticket_close", kwargs={"ticket_id": ticket.public_id})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert AuditEvent.objects.filter(action="support.ticket_closed").exists()
    response = client.post(url, follow=True)
    assert "already closed" in response.content.decode()


def test_only_staff_may_answer_through_the_service(admin):
    ticket = raise_ticket(admin)
    with pytest.raises(CentreServiceError):
        support_ticket_answer(ticket=ticket, author=admin.user, body="I am not staff")


def test_ticket_lists_do_not_query_per_ticket(client, login_as, admin, staff, django_assert_max_num_queries):
    for number in range(6):
        raise_ticket(admin, subject=f"Ticket {number}")
    login_as(admin.user, admin.centre)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("centres:support_tickets")).status_code == 200
    staff_client = login_as(staff, test_client=Client())
    with django_assert_max_num_queries(10):
        assert staff_client.get(reverse("platform:support_tickets")).status_code == 200


def test_staff_navigation_lists_the_platform_pages(client, login_as, staff, admin):
    login_as(staff)
    page = client.get("/").content.decode()
    assert 'href="/platform/support/"' in page
    assert 'href="/platform/notices/"' in page
    raise_ticket(admin)
    assert "(1 waiting for an answer)" in client.get("/").content.decode()
    login_as(admin.user, admin.centre)
    page = client.get("/").content.decode()
    assert 'href="/centre/support/"' in page
    assert 'href="/platform/support/"' not in page
