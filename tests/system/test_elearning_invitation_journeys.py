"""E2 invitations in a real browser: an authoriser invites two people; one follows the emailed
link, accepts, confirms their details, sets a password and lands on the eLearning dashboard;
the other rejects with a reason, which reaches the authoriser by email; the historic list
shows both. Every page is screenshotted and checked with axe-core, at desktop and phone width.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from tests.system.conftest import check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.PASSWORD
NEW_PASSWORD = "a long new password 2026"


@pytest.fixture
def site_and_authoriser(_orm_beside_playwright, transactional_db):
    from centres.roles import Role
    from tests.factories import CentreFactory, MembershipFactory, UserFactory

    site = CentreFactory(name="Leeds Community Healthcare", code="LCH")
    authoriser = MembershipFactory(
        centre=site,
        role=Role.AUTHORISER,
        user=UserFactory(first_name="Amira", last_name="Authoriser", email="amira.authoriser@lch.nhs.example"),
    ).user
    return site, authoriser


def _invite(page: Page, first_name: str, last_name: str, email: str, *, shots: str = "") -> None:
    page.get_by_role("button", name="Create invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create invite")
    if shots:
        check_page(page, f"{shots}-create")
    page.get_by_label("Forename").fill(first_name)
    page.get_by_label("Surname").fill(last_name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Contact number").fill("0113 243 3144")
    page.get_by_label("Job title").fill("Staff nurse")
    page.get_by_label("Job category").select_option("nurse")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(f"Invitation sent to {first_name} {last_name} ({email}).")).to_be_visible()


def _link_for(base_url: str, email: str) -> str:
    message = OutboundEmail.objects.get(to=[email], template="elearning/emails/invitation")
    found = re.search(r"https?://\S+/elearning/invitation/[^/\s]+/", message.text_body)
    assert found, message.text_body
    return base_url + urlsplit(found.group(0)).path


def test_invite_accept_and_reject(page: Page, phone_page: Page, live_server, site_and_authoriser):
    from elearning.models import Invitation, SiteStaff
    from elearning.views.invitations_public import dashboard_url

    site, authoriser = site_and_authoriser
    base = live_server.url
    pending_url = f"{base}/elearning/sites/{site.public_id}/invitations/"

    # The authoriser invites two people; an empty form first shows its errors.
    log_in(page, base, authoriser.email, PASSWORD)
    page.goto(pending_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations waiting for a response")
    check_page(page, "invitations-pending-empty")
    page.get_by_role("button", name="Create invite").click()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "invitations-create-errors")
    page.goto(pending_url)
    _invite(page, "Nadia", "Hussain", "nadia.hussain@lch.nhs.example", shots="invitations")
    _invite(page, "Rory", "Reject", "rory.reject@lch.nhs.example")
    expect(page.get_by_role("cell", name="rory.reject@lch.nhs.example")).to_be_visible()
    check_page(page, "invitations-pending")

    # Nadia follows the emailed link in her own browser and accepts.
    invitee = page.context.browser.new_context().new_page()
    invitee.goto(_link_for(base, "nadia.hussain@lch.nhs.example"))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("You are invited to join Leeds Community Healthcare")
    expect(invitee.get_by_text("Amira Authoriser has invited you")).to_be_visible()
    check_page(invitee, "invitation-link")
    invitee.get_by_role("button", name="Accept").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Confirm your details")
    expect(invitee.get_by_label("Job title")).to_have_value("Staff nurse")
    check_page(invitee, "invitation-confirm-details")
    invitee.get_by_label("Job title").fill("Senior staff nurse")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set a password")
    check_page(invitee, "invitation-set-password")
    invitee.get_by_label("Create a password").fill(NEW_PASSWORD)
    invitee.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Set password and accept").click()
    invitee.wait_for_url(f"{base}{dashboard_url()}")
    expect(invitee.get_by_text("You have joined Leeds Community Healthcare")).to_be_visible()
    staff = SiteStaff.objects.get(centre=site, user__email="nadia.hussain@lch.nhs.example")
    assert (staff.status, staff.job_title) == (SiteStaff.Status.CURRENT, "Senior staff nurse")

    # Rory rejects on a phone, with a reason; the authoriser's email holds it.
    phone_page.goto(_link_for(base, "rory.reject@lch.nhs.example"))
    check_page(phone_page, "invitation-link-phone")
    phone_page.get_by_role("button", name="Reject").click()
    phone_page.get_by_role("button", name="Reject invitation").click()
    expect(phone_page.get_by_text("Enter why you are rejecting the invitation").first).to_be_visible()
    check_page(phone_page, "invitation-reject-errors-phone")
    phone_page.get_by_label("Why are you rejecting this invitation?").fill("I have moved to another trust")
    phone_page.get_by_role("button", name="Reject invitation").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Invitation rejected")
    check_page(phone_page, "invitation-rejected-phone")
    told = OutboundEmail.objects.get(template="elearning/emails/invitation_rejected")
    assert told.to == [authoriser.email]
    assert "I have moved to another trust" in told.text_body

    # The used link now says so.
    phone_page.goto(_link_for(base, "nadia.hussain@lch.nhs.example"))
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("This invitation has already been accepted")
    check_page(phone_page, "invitation-used-phone")

    # The historic list shows both, at desktop and phone width.
    page.goto(pending_url)
    expect(page.get_by_text("No invitations at Leeds Community Healthcare are waiting")).to_be_visible()
    page.get_by_role("link", name="All historic invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All historic invitations")
    expect(page.get_by_text("Reason: I have moved to another trust")).to_be_visible()
    expect(page.get_by_text("nadia.hussain@lch.nhs.example")).to_be_visible()
    check_page(page, "invitations-history")
    page.get_by_label("Status").select_option("rejected")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("nadia.hussain@lch.nhs.example")).to_have_count(0)
    log_in(phone_page, base, authoriser.email, PASSWORD)
    phone_page.goto(page.url)
    check_page(phone_page, "invitations-history-phone")
    assert set(Invitation.objects.values_list("status", flat=True)) == {"accepted", "rejected"}
