"""E2 the invitee's link: unusable links, rejecting, accepting (new account with a password,
an existing account, NHSmail), who may accept, double submits."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.nhsmail import nhsmail_login_url
from centres.middleware import SESSION_KEY
from centres.models import AuditEvent, Membership, RegistrationType
from elearning.models import AccountRequest, Invitation, Module, ModuleProgress, SiteStaff
from elearning.services.invitations import invitation_resend, invitation_withdraw
from elearning.services.invitations_response import invitation_reject
from elearning.views.invitations_public import dashboard_url
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, MembershipFactory, UserFactory

from .invitation_helpers import DETAILS, invite, site_with_authoriser

pytestmark = pytest.mark.django_db

STRONG = "correct horse battery staple 42"
NHSMAIL = {
    "NHSMAIL_OIDC_SERVER_URL": "http://127.0.0.1:9/oidc",
    "NHSMAIL_OIDC_CLIENT_ID": "client",
    "NHSMAIL_OIDC_CLIENT_SECRET": "secret",
}


def _url(name, token):
    return reverse(f"elearning:{name}", kwargs={"token": token})


@pytest.fixture
def invited():
    site, authoriser = site_with_authoriser(name="Leeds Community Site")
    invitation, token = invite(site, authoriser)
    return site, authoriser, invitation, token


def _nothing_written(invitation, status=Invitation.Status.PENDING):
    invitation_now = Invitation.objects.get(pk=invitation.pk)
    assert invitation_now.status == status
    assert not SiteStaff.objects.exists()
    assert not Membership.objects.filter(centre=invitation.centre, user__email=invitation.email).exists()


def test_the_link_shows_the_site_and_who_invited(client, invited):
    _site, authoriser, _invitation, token = invited
    body = client.get(_url("invitation", token)).content.decode()
    assert "You are invited to join Leeds Community Site" in body
    assert authoriser.get_full_name() in body
    assert _url("invitation_accept", token) in body
    assert _url("invitation_reject", token) in body


@pytest.mark.parametrize("state", ["expired_unmarked", "expired", "withdrawn", "accepted", "rejected", "replaced"])
def test_unusable_links_get_a_clear_page_and_write_nothing(client, invited, state):
    _site, authoriser, invitation, token = invited
    expected = {
        "expired_unmarked": "This invitation has expired",
        "expired": "This invitation has expired",
        "withdrawn": "This invitation has been withdrawn",
        "accepted": "This invitation has already been accepted",
        "rejected": "This invitation has already been rejected",
        "replaced": "A newer invitation was sent",
    }[state]
    if state == "expired_unmarked":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "withdrawn":
        invitation_withdraw(invitation=invitation, withdrawn_by=authoriser)
    elif state == "replaced":
        invitation_resend(invitation=invitation, resent_by=authoriser)
    elif state == "rejected":
        invitation_reject(invitation=invitation, reason="No thanks")
    elif state in ("expired", "accepted"):
        Invitation.objects.filter(pk=invitation.pk).update(status=state)
    before = Invitation.objects.get(pk=invitation.pk)
    emails = OutboundEmail.objects.count()
    for name in ("invitation", "invitation_reject", "invitation_accept", "invitation_account"):
        response = client.get(_url(name, token))
        assert response.status_code == 410, name
        assert expected in response.content.decode()
    for name, data in (
        ("invitation_reject", {"reason": "Changed my mind"}),
        ("invitation_accept", DETAILS),
        ("invitation_account", {"password1": STRONG, "password2": STRONG}),
    ):
        assert client.post(_url(name, token), data).status_code == 410
    after = Invitation.objects.get(pk=invitation.pk)
    assert (after.status, after.rejection_reason, after.updated_at) == (
        before.status,
        before.rejection_reason,
        before.updated_at,
    )
    assert not SiteStaff.objects.exists()
    assert not User.objects.filter(email=invitation.email).exists()
    assert OutboundEmail.objects.count() == emails


def test_an_unknown_token_is_404(client, invited):
    response = client.get(_url("invitation", "not-a-real-token"))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_reject_needs_a_reason_and_tells_the_authoriser(client, invited):
    site, authoriser, invitation, token = invited
    response = client.post(_url("invitation_reject", token), {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why you are rejecting the invitation" in response.content.decode()
    _nothing_written(invitation)
    response = client.post(_url("invitation_reject", token), {"reason": "I work at another trust now"})
    assert response.status_code == 200
    assert "Invitation rejected" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REJECTED
    assert invitation.rejection_reason == "I work at another trust now"
    email = OutboundEmail.objects.get(template="elearning/emails/invitation_rejected")
    assert email.to == [authoriser.email]
    assert "I work at another trust now" in email.text_body
    assert AuditEvent.objects.filter(action="elearning.invitation_rejected", centre=site).count() == 1
    # Reused: the second rejection writes nothing.
    assert client.post(_url("invitation_reject", token), {"reason": "again"}).status_code == 410
    assert OutboundEmail.objects.filter(template="elearning/emails/invitation_rejected").count() == 1


def test_accept_confirm_details_then_set_a_password(client, invited):
    site, _authoriser, invitation, token = invited
    page = client.get(_url("invitation_accept", token)).content.decode()
    assert "Confirm your details" in page
    assert 'value="Staff nurse"' in page
    assert invitation.email in page
    assert 'name="email"' not in page  # shown, not editable
    details = {**DETAILS, "job_title": "Senior staff nurse", "email": "attacker@example.org"}
    response = client.post(_url("invitation_accept", token), details)
    assert response["Location"] == _url("invitation_account", token)
    _nothing_written(invitation)
    page = client.get(_url("invitation_account", token)).content.decode()
    assert "Set a password" in page
    assert "Use NHSmail" not in page
    # The project's password validators apply; nothing is written.
    weak = client.post(_url("invitation_account", token), {"password1": "password", "password2": "password"})
    assert weak.status_code == 400
    _nothing_written(invitation)
    response = client.post(_url("invitation_account", token), {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert response["Location"] == dashboard_url()
    user = User.objects.get(email=invitation.email)
    assert user.check_password(STRONG)
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[SESSION_KEY] == site.pk
    membership = Membership.objects.get(user=user, centre=site)
    assert membership.is_approved
    assert membership.registration_type == RegistrationType.CENTRE
    assert membership.accepted_at is not None
    staff = SiteStaff.objects.get(user=user, centre=site)
    assert (staff.status, staff.job_title, staff.membership, staff.invitation) == (
        SiteStaff.Status.CURRENT,
        "Senior staff nurse",
        membership,
        invitation,
    )
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_user) == (Invitation.Status.ACCEPTED, user)
    assert AuditEvent.objects.filter(action="elearning.invitation_accepted", actor=user, centre=site).count() == 1
    assert not AccountRequest.objects.exists()  # the modules are not done yet
    # The link is used up.
    assert client.get(_url("invitation", token)).status_code == 410


def test_an_accepted_invitee_goes_to_the_elearning_dashboard():
    assert dashboard_url() == reverse("elearning:dashboard") == "/elearning/"


def test_an_existing_account_logs_in_first_then_accepts_as_itself(client, login_as, invited):
    site, _authoriser, invitation, token = invited
    person = UserFactory(email=invitation.email, first_name="Nadia", last_name="Hussain")
    client.post(_url("invitation_accept", token), DETAILS)
    page = client.get(_url("invitation_account", token)).content.decode()
    assert "Log in to accept" in page
    assert f"{reverse('account_login')}?next={_url('invitation_accept', token)}" in page
    # A password set here would take over the account: refused, nothing written.
    client.post(_url("invitation_account", token), {"password1": STRONG, "password2": STRONG})
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    _nothing_written(invitation)
    login_as(person)
    page = client.get(_url("invitation_accept", token)).content.decode()
    assert "Accept invitation" in page
    response = client.post(_url("invitation_accept", token), DETAILS)
    assert response["Location"] == dashboard_url()
    assert SiteStaff.objects.get(user=person, centre=site).status == SiteStaff.Status.CURRENT
    assert Invitation.objects.get(pk=invitation.pk).accepted_user == person


def test_someone_logged_in_as_another_account_is_turned_away(client, login_as, invited):
    _site, _authoriser, invitation, token = invited
    login_as(UserFactory(email="someone.else@example.org"))
    assert "log out" in client.get(_url("invitation", token)).content.decode().lower()
    for name in ("invitation_accept", "invitation_account"):
        response = client.post(_url(name, token), DETAILS)
        assert response.status_code == 403
        assert f"This invitation is for {invitation.email}" in response.content.decode()
    _nothing_written(invitation)


def test_double_submitted_acceptance_makes_one_membership_and_one_staff_record(client, login_as, invited):
    site, _authoriser, invitation, token = invited
    person = UserFactory(email=invitation.email)
    login_as(person)
    assert client.post(_url("invitation_accept", token), DETAILS).status_code == 302
    again = client.post(_url("invitation_accept", token), DETAILS)
    assert again.status_code == 410
    assert Membership.objects.filter(user=person, centre=site).count() == 1
    assert SiteStaff.objects.filter(user=person, centre=site).count() == 1


def test_an_existing_membership_and_a_removed_record_are_reused(client, login_as, invited):
    site, _authoriser, invitation, token = invited
    membership = MembershipFactory(centre=site, user=UserFactory(email=invitation.email))
    old = SiteStaff.objects.create(
        centre=site,
        user=membership.user,
        membership=membership,
        status=SiteStaff.Status.DEACTIVATED,
        deactivation_reason=SiteStaff.DeactivationReason.SICK_LEAVE,
        job_title="Old title",
    )
    login_as(membership.user, site)
    assert client.post(_url("invitation_accept", token), DETAILS).status_code == 302
    old.refresh_from_db()
    assert (old.status, old.deactivation_reason, old.job_title) == (SiteStaff.Status.CURRENT, "", "Staff nurse")
    assert Membership.objects.filter(user=membership.user, centre=site).count() == 1


def test_completed_elearning_raises_the_central_teams_request_at_once(client, login_as, invited):
    site, _authoriser, invitation, token = invited
    person = UserFactory(email=invitation.email)
    module = Module.objects.create(title="Privacy", is_required=True, is_published=True)
    ModuleProgress.objects.create(user=person, module=module, started_at=timezone.now(), completed_at=timezone.now())
    login_as(person)
    client.post(_url("invitation_accept", token), DETAILS)
    request = AccountRequest.objects.get()
    assert (request.kind, request.centre, request.site_staff.user) == (AccountRequest.Kind.CREATE_ACCOUNT, site, person)


def test_bad_details_are_refused(client, invited):
    _site, _authoriser, _invitation, token = invited
    response = client.post(
        _url("invitation_accept", token), {**DETAILS, "first_name": "", "contact_number": "x", "job_category": "pilot"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter your forename" in body
    assert "Enter a telephone number" in body
    assert "Select job category from the list" in body
    # Skipping the details step goes back to it.
    assert client.get(_url("invitation_account", token))["Location"] == _url("invitation_accept", token)


@override_settings(**NHSMAIL)
def test_nhsmail_makes_an_unclaimed_account_and_signs_in_with_nhsmail(client):
    site, authoriser = site_with_authoriser()
    invitation, token = invite(site, authoriser, email="nadia.hussain@nhs.net")
    client.post(_url("invitation_accept", token), DETAILS)
    page = client.get(_url("invitation_account", token)).content.decode()
    assert "Use NHSmail" in page
    assert "Or set a password" in page
    response = client.post(_url("invitation_account", token), {"method": "nhsmail"})
    assert response["Location"] == nhsmail_login_url(_url("invitation_accept", token))
    user = User.objects.get(email="nadia.hussain@nhs.net")
    assert not user.has_usable_password()  # unclaimed: NHSmail links to it by verified email
    _nothing_written(invitation)  # accepted only when the signed-in person confirms


@override_settings(**NHSMAIL)
def test_nhsmail_is_not_offered_for_other_addresses(client, invited):
    _site, _authoriser, invitation, token = invited
    client.post(_url("invitation_accept", token), DETAILS)
    assert "Use NHSmail" not in client.get(_url("invitation_account", token)).content.decode()
    client.post(_url("invitation_account", token), {"method": "nhsmail"})
    assert not User.objects.filter(email=invitation.email).exists()


def test_nhsmail_is_hidden_when_not_configured(client):
    site, authoriser = site_with_authoriser()
    _invitation, token = invite(site, authoriser, email="nadia.hussain@nhs.net")
    client.post(_url("invitation_accept", token), DETAILS)
    assert "Use NHSmail" not in client.get(_url("invitation_account", token)).content.decode()
