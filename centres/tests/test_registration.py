"""C2 self-registration, C3 approvals, C4 registration by centre and welcome links, C5."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from centres.models import AuditEvent, Membership, RegistrationPrompt, WelcomeLink
from centres.notification_rules import REGISTRATION_APPROVAL
from centres.roles import Role
from centres.services.registration import approval_recipients
from centres.services.welcome import WELCOME_LINK_LIFETIME, welcome_link_send
from notifications.models import NotificationSubscription, OutboundEmail
from reporting.models import ReportJob
from reporting.services import report_job_run
from tests.factories import PASSWORD, CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def self_registration_data(**overrides):
    data = {
        "first_name": "Tara",
        "last_name": "Underhill",
        "email": "Tara.Underhill@Trust.nhs.example",
        "job_group": "1",
        "has_prn": "yes",
        "prn": "12A3456E",
        "password1": "wards-and-whistles-2026",
        "password2": "wards-and-whistles-2026",
        "terms": "on",
    }
    return {**data, **overrides}


@pytest.fixture
def centre():
    return CentreFactory(
        code="LTHT", name="Leeds Teaching Hospitals", ip_prefixes=["10.160."], notify_email="learning@ltht.example"
    )


def register(client, centre, data, ip="203.0.113.9", **extra):
    return client.post(reverse("register", kwargs={"code": centre.code}), data, REMOTE_ADDR=ip, **extra)


def test_visitor_outside_prefixes_registers_pending_and_the_centre_is_told(
    client, centre, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    NotificationSubscription.objects.create(user=admin, centre=centre, kind=REGISTRATION_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, centre, self_registration_data())
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="tara.underhill@trust.nhs.example")
    assert re.fullmatch(r"TU\d+", membership.delegate_number)
    assert (membership.is_approved, membership.registration_type, membership.prn) == (False, "self", "12A3456E")
    assert membership.user.check_password("wards-and-whistles-2026")
    assert not EmailAddress.objects.get(user=membership.user).verified
    approval = OutboundEmail.objects.get(template="centres/emails/registration_needs_approval")
    assert approval.to == sorted([admin.email, "learning@ltht.example"])
    assert OutboundEmail.objects.filter(to=[membership.user.email], subject__startswith="Confirm your email").exists()
    done = client.get(response["Location"]).content.decode()
    assert "Check your email" in done
    assert "needs to approve your registration" in done


def test_registration_from_an_ip_prefix_is_approved_at_once(client, centre):
    register(client, centre, self_registration_data(), ip="10.160.4.20")
    membership = Membership.objects.get(user__email="tara.underhill@trust.nhs.example")
    assert membership.is_approved
    assert not OutboundEmail.objects.filter(template="centres/emails/registration_needs_approval").exists()


def test_x_forwarded_for_is_trusted_only_from_configured_proxies(client, centre, settings):
    register(client, centre, self_registration_data(), ip="192.0.2.1", HTTP_X_FORWARDED_FOR="10.160.4.20")
    assert not Membership.objects.get(user__email="tara.underhill@trust.nhs.example").is_approved
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    register(
        client,
        centre,
        self_registration_data(email="second@trust.nhs.example"),
        ip="192.0.2.1",
        HTTP_X_FORWARDED_FOR="10.160.4.20",
    )
    assert Membership.objects.get(user__email="second@trust.nhs.example").is_approved


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"first_name": ""}, "Enter your first name"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"job_group": "11"}, "Select a job group from the list"),
        ({"has_prn": "yes", "prn": ""}, "Enter your professional registration number"),
        ({"has_prn": "yes", "prn": "AB!12"}, "5 to 20 letters, numbers or hyphens"),
        ({"has_prn": "no", "prn": "12A3456E"}, "Remove the professional registration number"),
        ({"password2": "something-else-entirely"}, "The passwords do not match"),
        ({"password1": "short", "password2": "short"}, "at least 10 characters"),
        ({"terms": ""}, "Agree to the terms of use"),
    ],
)
def test_bad_registration_input_is_refused_with_a_message_and_writes_nothing(client, centre, overrides, message):
    response = register(client, centre, self_registration_data(**overrides))
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert "<title>Error: " in content
    assert not User.objects.filter(email="tara.underhill@trust.nhs.example").exists()


def test_registration_prompts_are_asked_and_validated(client, centre):
    RegistrationPrompt.objects.create(
        centre=centre, position=2, text="Ward", is_mandatory=True, options=["Ward 1", "Ward 2"]
    )
    response = register(client, centre, self_registration_data())
    assert "Answer “Ward”" in response.content.decode()
    response = register(client, centre, self_registration_data(answer2="Ward 9"))
    assert "Select one of the answers listed for “Ward”" in response.content.decode()
    register(client, centre, self_registration_data(answer2="Ward 2"))
    assert Membership.objects.get(user__email="tara.underhill@trust.nhs.example").answer2 == "Ward 2"


def test_existing_email_gets_the_same_answer_as_a_new_one_and_only_the_owner_is_told(client, centre):
    """Finding 7: the page never says an account exists; the owner is emailed instead."""
    existing = UserFactory(email="tara.underhill@trust.nhs.example", first_name="Tara", last_name="Original")
    new = register(client, centre, self_registration_data(email="someone.new@trust.nhs.example"))
    from django.test import Client

    other_visitor = Client()
    response = register(other_visitor, centre, self_registration_data())
    assert response.status_code == new.status_code == 302
    assert response["Location"] == new["Location"]
    new_page = client.get(new["Location"]).content.decode()
    existing_page = other_visitor.get(response["Location"]).content.decode()
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub("", new_page) == csrf.sub("", existing_page)
    assert "already exists" not in existing_page
    assert Membership.objects.filter(centre=centre, user=existing).count() == 0
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.check_password(PASSWORD)) == ("Tara", "Original", True)
    told = OutboundEmail.objects.get(template="centres/emails/registration_existing_account")
    assert told.to == ["tara.underhill@trust.nhs.example"]
    assert f"/register/{centre.code}/" in told.text_body


def test_registration_posts_are_rate_limited_per_address(client, centre):
    from centres.views.registration import REGISTER_RATE_LIMIT

    for n in range(REGISTER_RATE_LIMIT):
        register(client, centre, self_registration_data(email=f"person{n}@trust.nhs.example"))
    response = register(client, centre, self_registration_data(email="one.more@trust.nhs.example"))
    assert response.status_code == 429
    assert not User.objects.filter(email="one.more@trust.nhs.example").exists()
    # Another address is not held up.
    assert register(client, centre, self_registration_data(), ip="203.0.113.10").status_code == 302


def test_logged_in_person_registers_at_a_second_centre(client, centre, login_as):
    first = MembershipFactory()
    login_as(first.user, first.centre)
    response = client.post(
        reverse("register", kwargs={"code": "ltht"}), {"job_group": "3", "has_prn": "no"}, REMOTE_ADDR="10.160.1.1"
    )
    assert response.status_code == 302
    second = Membership.objects.get(user=first.user, centre=centre)
    assert second.is_approved
    assert second.job_group_id == 3
    response = client.post(reverse("register", kwargs={"code": "ltht"}), {"job_group": "3", "has_prn": "no"})
    assert "already registered" in response.content.decode()


def test_unknown_or_inactive_centre_is_404(client, centre):
    assert client.get(reverse("register", kwargs={"code": "NOPE"})).status_code == 404
    centre.is_active = False
    centre.save()
    assert client.get(reverse("register", kwargs={"code": centre.code})).status_code == 404


def test_choose_centre_step(client, centre):
    assert centre.name in client.get(reverse("register_choose_centre")).content.decode()
    response = client.post(reverse("register_choose_centre"), {"centre": ""})
    assert "Select the centre you are registering with" in response.content.decode()
    response = client.post(reverse("register_choose_centre"), {"centre": centre.code})
    assert response["Location"] == reverse("register", kwargs={"code": centre.code})


# --- C3 approvals ----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, login_as, centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(admin.user, centre)
    return client


def test_approvals_list_approve_one_and_email(admin_client, centre, django_capture_on_commit_callbacks, mailoutbox):
    pending = MembershipFactory(centre=centre, unapproved=True)
    other_centre = MembershipFactory(unapproved=True)
    page = admin_client.get(reverse("centres:registrations")).content.decode()
    assert pending.delegate_number in page
    assert other_centre.delegate_number not in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("centres:registration_approve", kwargs={"membership_id": pending.public_id}))
    pending.refresh_from_db()
    assert pending.is_approved
    assert pending.approved_at
    assert [message.to for message in mailoutbox] == [[pending.user.email]]
    assert "approved" in mailoutbox[0].subject
    assert AuditEvent.objects.filter(action="registration.approved", centre=centre).exists()
    # Approving again, or another centre's, is a 404 (not pending here).
    url = reverse("centres:registration_approve", kwargs={"membership_id": pending.public_id})
    assert admin_client.post(url).status_code == 404
    url = reverse("centres:registration_approve", kwargs={"membership_id": other_centre.public_id})
    assert admin_client.post(url).status_code == 404
    other_centre.refresh_from_db()
    assert not other_centre.is_approved


def test_approve_all_is_done_by_the_worker_with_progress(admin_client, centre, django_capture_on_commit_callbacks):
    """Issue 12 finding 6: each approval emails someone, so "Approve all" is a job, not the request."""
    for _ in range(3):
        MembershipFactory(centre=centre, unapproved=True)
    other = MembershipFactory(unapproved=True)
    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(reverse("centres:registration_approve_all"))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    assert Membership.objects.filter(centre=centre, is_approved=False).count() == 3  # nothing in the request
    waiting = admin_client.get(response["Location"]).content.decode()
    assert "This is being done in the background" in waiting
    for callback in queued:
        callback()  # the worker (eager in tests)
    page = admin_client.get(response["Location"]).content.decode()
    assert "3 registrations approved." in page
    assert reverse("centres:registrations") in page
    assert not Membership.objects.filter(centre=centre, is_approved=False).exists()
    assert OutboundEmail.objects.filter(template="centres/emails/registration_approved").count() == 3
    other.refresh_from_db()
    assert not other.is_approved
    # Run again (a redelivered message after a worker died): nobody is approved or emailed twice.
    ReportJob.objects.filter(pk=job.pk).update(status="queued")
    report_job_run(job_id=job.pk)
    assert OutboundEmail.objects.filter(template="centres/emails/registration_approved").count() == 3


def test_approve_all_with_nobody_waiting_says_so(admin_client):
    response = admin_client.post(reverse("centres:registration_approve_all"), follow=True)
    assert "No registrations are waiting for approval." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_reject_needs_a_reason_then_emails_and_removes_the_record(
    admin_client, centre, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(centre=centre, unapproved=True)
    url = reverse("centres:registration_reject", kwargs={"membership_id": pending.public_id})
    response = admin_client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Enter the reason" in response.content.decode()
    assert Membership.objects.filter(pk=pending.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"reason": "You do not work at this trust."})
    assert not Membership.objects.filter(pk=pending.pk).exists()
    email = OutboundEmail.objects.get(template="centres/emails/registration_rejected")
    assert "You do not work at this trust." in email.text_body
    assert AuditEvent.objects.filter(action="registration.rejected", summary__contains="You do not work").exists()
    pending.user.refresh_from_db()
    assert not pending.user.is_active


def test_approvals_use_a_constant_number_of_queries(admin_client, centre):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(reverse("centres:registrations")).status_code == 200
        return len(context)

    for _ in range(5):
        MembershipFactory(centre=centre, unapproved=True)
    with_five = count_queries()
    for _ in range(195):
        MembershipFactory(centre=centre, unapproved=True)
    assert count_queries() == with_five


@pytest.mark.parametrize("role", [None, Role.ASSESSOR, Role.EDUCATOR])
def test_only_administrators_see_approvals(client, login_as, centre, role):
    member = MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(reverse("centres:registrations")).status_code == 403
    assert client.get(reverse("centres:register_delegate")).status_code == 403


def test_approval_recipients_drop_people_who_lost_the_role(centre):
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    learner = MembershipFactory(centre=centre).user
    for user in (admin, learner):
        NotificationSubscription.objects.create(user=user, centre=centre, kind=REGISTRATION_APPROVAL)
    assert approval_recipients(centre=centre) == sorted([admin.email, "learning@ltht.example"])


# --- C4 register by centre and welcome links --------------------------------------------


def register_by_centre(admin_client, **overrides):
    data = {
        "first_name": "Will",
        "last_name": "Test",
        "email": "will.test@catmail.example",
        "job_group": "1",
        "has_prn": "no",
        "welcome": "now",
        **overrides,
    }
    return admin_client.post(reverse("centres:register_delegate"), data)


def welcome_token(email_row: OutboundEmail) -> str:
    return re.search(r"/welcome/([^/\s]+)/", email_row.text_body).group(1)


def test_register_by_centre_sends_a_single_use_welcome_link(admin_client, centre):
    response = register_by_centre(admin_client)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="will.test@catmail.example")
    assert membership.is_approved
    assert membership.registration_type == "centre"
    assert not membership.user.has_usable_password()
    email = OutboundEmail.objects.get(template="centres/emails/welcome")
    assert email.subject == f"Verify your registration with {centre.name}"
    assert membership.delegate_number in email.text_body
    assert "expires in 1 month" in email.text_body
    token = welcome_token(email)
    assert not WelcomeLink.objects.filter(token_hash=token).exists()  # only the hash is stored

    from django.test import Client

    visitor = Client()
    page = visitor.get(reverse("welcome", kwargs={"token": token}))
    assert membership.delegate_number in page.content.decode()
    response = visitor.post(reverse("welcome", kwargs={"token": token}), {"password1": "x", "password2": "x"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    response = visitor.post(
        reverse("welcome", kwargs={"token": token}),
        {"password1": "ward-round-at-nine", "password2": "ward-round-at-nine"},
    )
    assert response["Location"] == reverse("home")  # signed in (issue 16 item 10)
    home = visitor.get(reverse("home")).content.decode()
    assert "you are logged in" in home
    assert centre.name in home
    membership.user.refresh_from_db()
    assert membership.user.check_password("ward-round-at-nine")
    assert EmailAddress.objects.get(user=membership.user).verified
    visitor.logout()
    assert (
        visitor.post(
            "/accounts/login/", {"login": membership.delegate_number, "password": "ward-round-at-nine"}
        ).status_code
        == 302
    )

    used = Client().get(reverse("welcome", kwargs={"token": token}))
    assert used.status_code == 410
    assert "already been used" in used.content.decode()


def test_expired_link_explains_and_sends_a_new_one(centre):
    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True))
    welcome_link_send(membership=membership, sent_by=None)
    token = welcome_token(OutboundEmail.objects.get(template="centres/emails/welcome"))
    WelcomeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from django.test import Client

    visitor = Client()
    page = visitor.get(reverse("welcome", kwargs={"token": token}))
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    response = visitor.post(reverse("welcome_new_link", kwargs={"token": token}))
    assert "Check your email" in response.content.decode()
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 2
    # The old token still does not work.
    assert visitor.get(reverse("welcome", kwargs={"token": token})).status_code == 410


def test_send_me_a_new_link_sends_once_however_often_it_is_posted(centre):
    """Finding 9: 5 posts from the old link send one new email, not five."""
    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True))
    welcome_link_send(membership=membership, sent_by=None)
    token = welcome_token(OutboundEmail.objects.get(template="centres/emails/welcome"))
    WelcomeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from django.test import Client

    for n in range(3):  # within the per-address limit
        response = Client().post(reverse("welcome_new_link", kwargs={"token": token}), REMOTE_ADDR=f"198.51.100.{n}")
        assert "Check your email" in response.content.decode()
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 2


def test_send_me_a_new_link_is_rate_limited_per_address(centre):
    from centres.views.registration import WELCOME_RESEND_RATE_LIMIT

    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True))
    welcome_link_send(membership=membership, sent_by=None)
    WelcomeLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from django.test import Client

    visitor = Client()
    url = reverse("welcome_new_link", kwargs={"token": "any-token-at-all"})
    for _ in range(WELCOME_RESEND_RATE_LIMIT):
        assert visitor.post(url).status_code == 302
    assert visitor.post(url).status_code == 429


def test_a_new_link_cancels_the_scheduled_email_of_the_old_one(centre):
    """Finding 9: the scheduled email with the replaced link never goes out."""
    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True))
    later = timezone.now() + timedelta(days=7)
    old = welcome_link_send(membership=membership, sent_by=None, send_after=later)
    assert old.outbound_email.status == OutboundEmail.Status.PENDING
    new = welcome_link_send(membership=membership, sent_by=None)
    old.outbound_email.refresh_from_db()
    assert old.outbound_email.status == OutboundEmail.Status.CANCELLED
    new.outbound_email.refresh_from_db()
    assert new.outbound_email.status == OutboundEmail.Status.PENDING
    from notifications.services import email_claim, outbox_due_ids

    assert old.outbound_email.pk not in outbox_due_ids()
    assert email_claim(email_id=old.outbound_email.pk) is None


def test_unknown_welcome_token_is_404(client):
    response = client.get(reverse("welcome", kwargs={"token": "made-up"}))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_link_lifetime_is_a_month_and_resend_invalidates_the_old_link(centre):
    membership = MembershipFactory(centre=centre, user=UserFactory(unclaimed=True))
    first = welcome_link_send(membership=membership, sent_by=None)
    assert abs((first.expires_at - timezone.now()) - WELCOME_LINK_LIFETIME) < timedelta(minutes=1)
    welcome_link_send(membership=membership, sent_by=None)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()


def test_scheduled_welcome_email_waits_for_its_date(admin_client, centre):
    date = (timezone.localdate() + timedelta(days=7)).strftime("%d/%m/%Y")
    register_by_centre(admin_client, welcome="later", welcome_date=date)
    email = OutboundEmail.objects.get(template="centres/emails/welcome")
    assert email.send_after.date() == timezone.localdate() + timedelta(days=7)
    assert email.status == OutboundEmail.Status.PENDING


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"welcome": "later", "welcome_date": ""}, "Enter the date to send the welcome email"),
        ({"welcome": "later", "welcome_date": "1/1/2020"}, "The date must be in the future"),
        ({"welcome": "later", "welcome_date": "31/02/2030"}, "The date must be a real date"),  # issue 16 item 6
        ({"welcome": ""}, "Select when to send the welcome email"),  # no silent default
        ({"email": ""}, "Enter the delegate&#39;s email address"),
    ],
)
def test_register_by_centre_bad_input(admin_client, overrides, message):
    response = register_by_centre(admin_client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Membership.objects.filter(user__email="will.test@catmail.example").exists()


def test_registering_someone_already_at_the_centre_is_refused(admin_client, centre):
    existing = MembershipFactory(centre=centre)
    response = register_by_centre(admin_client, email=existing.user.email.upper())
    assert response.status_code == 400
    assert "already in use by another delegate" in response.content.decode()


def test_registering_a_person_from_another_centre_is_refused(admin_client, centre):
    """Finding 1: an account from elsewhere joins only through its owner."""
    elsewhere = MembershipFactory()
    before = (elsewhere.user.first_name, elsewhere.user.last_name, elsewhere.user.email)
    emails = OutboundEmail.objects.count()
    response = register_by_centre(admin_client, email=elsewhere.user.email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "belongs to an existing account" in page
    assert elsewhere.centre.name not in page
    assert not Membership.objects.filter(user=elsewhere.user, centre=centre).exists()
    elsewhere.user.refresh_from_db()
    assert (elsewhere.user.first_name, elsewhere.user.last_name, elsewhere.user.email) == before
    assert OutboundEmail.objects.count() == emails


def test_bulk_welcome_emails_select_and_all(admin_client, centre):
    unclaimed = [MembershipFactory(centre=centre, user=UserFactory(unclaimed=True)) for _ in range(3)]
    claimed = MembershipFactory(centre=centre)
    page = admin_client.get(reverse("centres:welcome_emails")).content.decode()
    assert all(m.delegate_number in page for m in unclaimed)
    assert claimed.delegate_number not in page
    admin_client.post(reverse("centres:welcome_emails"), {"delegate": [str(unclaimed[0].public_id), "not-a-uuid"]})
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 1
    response = admin_client.post(reverse("centres:welcome_emails"), {}, follow=True)
    assert "Select at least one delegate" in response.content.decode()


def test_send_to_all_is_done_by_the_worker_and_never_twice(admin_client, centre, django_capture_on_commit_callbacks):
    """Issue 12 finding 6: "Send to all N" (2,402 emails took ~80 s in the request) is a job."""
    unclaimed = [MembershipFactory(centre=centre, user=UserFactory(unclaimed=True)) for _ in range(3)]
    MembershipFactory(centre=centre, user=UserFactory(unclaimed=True, last_name="Zzother"))
    with django_capture_on_commit_callbacks() as queued:
        response = admin_client.post(reverse("centres:welcome_emails_all"))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    assert not OutboundEmail.objects.filter(template="centres/emails/welcome").exists()  # nothing in the request
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert (job.status, job.outcome) == ("done", "Welcome email sent to 4 delegates.")
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 4
    assert all(m.welcome_links.count() == 1 for m in unclaimed)
    # A redelivered message (its worker died after the emails) sends nothing more.
    ReportJob.objects.filter(pk=job.pk).update(status="queued")
    report_job_run(job_id=job.pk)
    assert OutboundEmail.objects.filter(template="centres/emails/welcome").count() == 4


def test_send_to_all_keeps_the_search(admin_client, centre, django_capture_on_commit_callbacks):
    MembershipFactory(centre=centre, user=UserFactory(unclaimed=True, last_name="Okafor"))
    MembershipFactory(centre=centre, user=UserFactory(unclaimed=True, last_name="Young"))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("centres:welcome_emails_all") + "?q=okafor")
    assert ReportJob.objects.get().outcome == "Welcome email sent to 1 delegate."


def test_resend_one_refuses_a_claimed_account(admin_client, centre):
    claimed = MembershipFactory(centre=centre)
    url = reverse("centres:welcome_email_send", kwargs={"membership_id": claimed.public_id})
    response = admin_client.post(url, follow=True)
    assert "has already set a password" in response.content.decode()
    other = MembershipFactory(user=UserFactory(unclaimed=True))
    assert (
        admin_client.post(reverse("centres:welcome_email_send", kwargs={"membership_id": other.public_id})).status_code
        == 404
    )


def test_learner_dashboard_login_after_self_registration_requires_verified_email(client, centre):
    register(client, centre, self_registration_data(), ip="10.160.0.1")
    response = client.post(
        "/accounts/login/", {"login": "tara.underhill@trust.nhs.example", "password": "wards-and-whistles-2026"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert PASSWORD  # factories' password is unrelated to this flow


def test_approve_all_is_refused_when_it_runs_if_the_asker_lost_the_role(
    admin_client, centre, django_capture_on_commit_callbacks
):
    from centres.models import RoleAssignment
    from centres.services.roles import role_revoke

    pending = MembershipFactory(centre=centre, unapproved=True)
    with django_capture_on_commit_callbacks() as queued:
        admin_client.post(reverse("centres:registration_approve_all"))
    job = ReportJob.objects.get()
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER).user
    role_revoke(assignment=RoleAssignment.objects.get(user=job.requested_by, centre=centre), revoked_by=manager)
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "failed"
    assert "may no longer manage delegates" in job.error
    pending.refresh_from_db()
    assert not pending.is_approved
