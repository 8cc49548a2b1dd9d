"""E2 invitations, the authoriser's pages: create, refusals, pending list, resend, withdraw,
historic list; other sites' ids answer 404."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from elearning.models import Invitation, InvitationReplacedLink, SiteStaff
from elearning.services.invitations import invitation_withdraw
from elearning.services.invitations_response import LinkState, invitation_by_token
from notifications.models import OutboundEmail
from tests.factories import MembershipFactory, UserFactory

from .invitation_helpers import form_data, invite, site_with_authoriser

pytestmark = pytest.mark.django_db


def _url(name, site, **kwargs):
    return reverse(f"elearning:{name}", kwargs={"site_id": site.public_id, **kwargs})


@pytest.fixture
def site_a(login_as):
    site, authoriser = site_with_authoriser(name="Leeds Community Site")
    login_as(authoriser, site)
    return site, authoriser


def test_create_invite_emails_the_invitee_and_audits(client, site_a):
    site, authoriser = site_a
    response = client.get(_url("invitation_create", site))
    assert response.status_code == 200
    assert b"Create invite" in response.content
    response = client.post(_url("invitation_create", site), form_data(email="Nadia.Hussain@Example.org"))
    assert response.status_code == 302
    assert response["Location"] == _url("invitations", site)
    invitation = Invitation.objects.get()
    assert (invitation.centre, invitation.invited_by) == (site, authoriser)
    assert invitation.email == "nadia.hussain@example.org"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - invitation.sent_at == timedelta(days=30)
    email = OutboundEmail.objects.get(template="elearning/emails/invitation")
    assert email.to == ["nadia.hussain@example.org"]
    link = re.search(r"http://\S+/elearning/invitation/(\S+)/", email.text_body)
    token = link.group(1)
    assert invitation.token_hash != token
    assert len(invitation.token_hash) == 64  # only the hash is stored
    assert invitation_by_token(token) == (invitation, LinkState.VALID)
    assert "/reject/" in email.text_body
    assert site.name in email.subject
    assert AuditEvent.objects.filter(action="elearning.invitation_sent", centre=site, actor=authoriser).count() == 1


def test_create_invite_bad_input_writes_nothing(client, site_a):
    site, _ = site_a
    response = client.post(
        _url("invitation_create", site),
        {"first_name": "", "last_name": "", "email": "not-an-email", "contact_number": "call me", "job_title": ""}
        | {"job_category": "astronaut"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Error: Create invite" in body
    for message in (
        "Enter the person&#39;s forename",
        "Enter the person&#39;s surname",
        "Enter an email address in the correct format",
        "Enter a telephone number",
        "Enter the person&#39;s job title",
        "Select job category from the list",
    ):
        assert message in body, message
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.filter(template__startswith="elearning/").exists()


def test_refused_for_an_email_of_current_staff_at_the_site(client, site_a):
    site, _ = site_a
    staff = MembershipFactory(centre=site, user=UserFactory(email="current@example.org"))
    SiteStaff.objects.create(centre=site, user=staff.user, membership=staff)
    response = client.post(_url("invitation_create", site), form_data(email="CURRENT@example.org"))
    assert response.status_code == 400
    expected = "current@example.org is already a current member of staff at Leeds Community Site"
    assert expected in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_removed_person_may_be_invited_again(client, site_a):
    site, _ = site_a
    staff = MembershipFactory(centre=site, user=UserFactory(email="former@example.org"))
    SiteStaff.objects.create(centre=site, user=staff.user, membership=staff, status=SiteStaff.Status.REMOVED)
    assert client.post(_url("invitation_create", site), form_data(email="former@example.org")).status_code == 302
    assert Invitation.objects.filter(email="former@example.org").exists()


def test_refused_for_an_email_already_invited_here_but_not_elsewhere(client, site_a):
    site, authoriser = site_a
    first, _ = invite(site, authoriser)
    response = client.post(_url("invitation_create", site), form_data())
    assert response.status_code == 400
    sent = timezone.localtime(first.sent_at)
    assert f"was already invited on {sent:%-d %B %Y}: resend that invitation instead" in response.content.decode()
    assert Invitation.objects.count() == 1
    other_site, other_authoriser = site_with_authoriser()
    invite(other_site, other_authoriser)  # the same person may be invited to another site
    assert Invitation.objects.count() == 2


def test_a_stale_pending_invitation_is_expired_when_the_address_is_invited_again(client, site_a):
    site, authoriser = site_a
    stale, _ = invite(site, authoriser)
    Invitation.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(_url("invitation_create", site), form_data()).status_code == 302
    stale.refresh_from_db()
    assert stale.status == Invitation.Status.EXPIRED
    assert Invitation.objects.filter(status=Invitation.Status.PENDING).count() == 1


def test_a_double_submitted_invite_creates_one(client, site_a):
    site, _ = site_a
    data = form_data(submission_token="a" * 32)
    assert client.post(_url("invitation_create", site), data).status_code == 302
    assert client.post(_url("invitation_create", site), data).status_code == 302
    assert Invitation.objects.count() == 1
    assert OutboundEmail.objects.filter(template="elearning/emails/invitation").count() == 1


def test_a_posted_site_id_is_ignored(client, site_a):
    site, _ = site_a
    other, _ = site_with_authoriser()
    client.post(_url("invitation_create", site), form_data(site_id=str(other.public_id), centre=str(other.pk)))
    assert Invitation.objects.get().centre == site


def test_other_sites_and_non_authorisers_get_404(client, login_as, site_a):
    site, _ = site_a
    other, other_authoriser = site_with_authoriser(name="Bravo Secret Site")
    invitation, _ = invite(other, other_authoriser, email="secret@bravo.example")
    for name in ("invitations", "invitation_create", "invitations_history"):
        assert client.get(_url(name, other)).status_code == 404
    assert client.post(_url("invitation_create", other), form_data()).status_code == 404
    for name in ("invitation_resend", "invitation_withdraw"):
        # B's invitation under B's site, and under A's own site: both 404.
        assert client.get(_url(name, other, invitation_id=invitation.public_id)).status_code == 404
        assert client.post(_url(name, site, invitation_id=invitation.public_id)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert OutboundEmail.objects.filter(template="elearning/emails/invitation").count() == 1
    # Someone at the site without the authoriser role: 404 like an unknown site.
    educator = MembershipFactory(centre=site, role=Role.EDUCATOR).user
    login_as(educator, site)
    assert client.get(_url("invitations", site)).status_code == 404
    # An authoriser whose current centre is another one still works on every one of their sites.
    _, authoriser = site_a
    MembershipFactory(centre=other, user=authoriser)
    login_as(authoriser, other)
    assert client.get(_url("invitations", site)).status_code == 200


def test_pending_list_shows_the_sites_waiting_invitations(client, site_a, django_assert_max_num_queries):
    site, authoriser = site_a
    invite(site, authoriser, email="one@example.org", first_name="Ola")
    answered, _ = invite(site, authoriser, email="two@example.org", first_name="Withdrawn")
    invitation_withdraw(invitation=answered, withdrawn_by=authoriser)
    other, other_authoriser = site_with_authoriser()
    invite(other, other_authoriser, email="elsewhere@example.org")
    with django_assert_max_num_queries(12):
        response = client.get(_url("invitations", site))
    body = response.content.decode()
    assert "one@example.org" in body
    assert "Ola Hussain" in body
    assert "Staff nurse" in body
    assert "two@example.org" not in body
    assert "elsewhere@example.org" not in body
    assert "Resend" in body
    assert "Withdraw" in body
    assert "All historic invitations" in body
    assert _url("invitation_create", site) in body


def test_resend_after_confirmation_gives_a_new_secret_and_30_more_days(client, site_a):
    site, authoriser = site_a
    invitation, old_token = invite(site, authoriser)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=20), expires_at=timezone.now() + timedelta(days=10)
    )
    url = _url("invitation_resend", site, invitation_id=invitation.public_id)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Resend this invitation?" in page.content
    assert Invitation.objects.get().expires_at < timezone.now() + timedelta(days=11)  # GET changed nothing
    response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=29)
    assert invitation_by_token(old_token) == (None, LinkState.REPLACED)
    assert InvitationReplacedLink.objects.filter(invitation=invitation).count() == 1
    emails = OutboundEmail.objects.filter(template="elearning/emails/invitation").order_by("id")
    assert len(emails) == 2
    new_token = re.search(r"/elearning/invitation/(\S+)/", emails[1].text_body).group(1)
    assert invitation_by_token(new_token) == (invitation, LinkState.VALID)
    assert AuditEvent.objects.filter(action="elearning.invitation_resent").count() == 1


def test_withdraw_after_confirmation(client, site_a):
    site, authoriser = site_a
    invitation, token = invite(site, authoriser)
    url = _url("invitation_withdraw", site, invitation_id=invitation.public_id)
    assert b"Withdraw this invitation?" in client.get(url).content
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    assert invitation_by_token(token) == (invitation, LinkState.WITHDRAWN)
    assert AuditEvent.objects.filter(action="elearning.invitation_withdrawn", actor=authoriser).count() == 1
    # Withdrawn: no longer pending, so its resend and withdraw pages are gone.
    assert client.post(url).status_code == 404
    assert client.post(_url("invitation_resend", site, invitation_id=invitation.public_id)).status_code == 404


def _history_world(site, authoriser, count: int):
    for index in range(count):
        invitation, _ = invite(site, authoriser, email=f"person{index}@example.org", first_name=f"Person{index}")
        invitation_withdraw(invitation=invitation, withdrawn_by=authoriser)


def test_history_filters_searches_and_pages_with_constant_queries(
    client, site_a, django_assert_num_queries, django_assert_max_num_queries
):
    site, authoriser = site_a
    rejected, _ = invite(site, authoriser, email="rejecter@example.org", first_name="Rhiannon")
    Invitation.objects.filter(pk=rejected.pk).update(
        status=Invitation.Status.REJECTED, rejection_reason="I have moved to another trust", responded_at=timezone.now()
    )
    late, _ = invite(site, authoriser, email="late@example.org", first_name="Latif")
    Invitation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - timedelta(days=1))  # not marked yet
    invite(site, authoriser, email="waiting@example.org")  # pending: not historic
    url = _url("invitations_history", site)
    body = client.get(url).content.decode()
    assert "I have moved to another trust" in body
    assert "late@example.org" in body
    assert "waiting@example.org" not in body
    expired = client.get(url, {"status": "expired"}).content.decode()
    assert "late@example.org" in expired
    assert "rejecter@example.org" not in expired
    found = client.get(url, {"q": "rhian"}).content.decode()
    assert "rejecter@example.org" in found
    assert "late@example.org" not in found
    assert "No historic invitations match" in client.get(url, {"q": "nobody"}).content.decode()
    # Tampered filters are ignored rather than failing.
    assert client.get(url, {"status": "pending' OR 1=1"}).status_code == 200

    _history_world(site, authoriser, 3)
    with django_assert_max_num_queries(9) as small:  # the page, the layout's header and access checks
        client.get(url, {"status": "withdrawn"})
    _history_world(site, authoriser, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"status": "withdrawn", "page": 2})
    assert response.status_code == 200
    assert "page=1" in response.content.decode()
    assert "status=withdrawn" in response.content.decode()


def test_a_double_submitted_resend_or_withdraw_acts_once(client, site_a):
    site, authoriser = site_a
    invitation, _ = invite(site, authoriser)
    resend = _url("invitation_resend", site, invitation_id=invitation.public_id)
    token = {"submission_token": "b" * 32}
    assert client.post(resend, token)["Location"] == _url("invitations", site)
    assert client.post(resend, token)["Location"] == _url("invitations", site)
    assert OutboundEmail.objects.filter(template="elearning/emails/invitation").count() == 2  # sent, resent once
    assert InvitationReplacedLink.objects.count() == 1
    withdraw = _url("invitation_withdraw", site, invitation_id=invitation.public_id)
    token = {"submission_token": "c" * 32}
    assert client.post(withdraw, token)["Location"] == _url("invitations", site)
    assert client.post(withdraw, token)["Location"] == _url("invitations", site)
    assert AuditEvent.objects.filter(action="elearning.invitation_withdrawn").count() == 1
