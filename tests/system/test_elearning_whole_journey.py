"""Issue 14 end to end, in one browser journey on the demo's care record site (elearning/demo.py):
Nadia, the authoriser, invites Zara; Zara accepts, confirms her details, sets a password,
completes the three modules (failing the knowledge check once), downloads her certificate, and a
logged-out visitor verifies it; the "completed eLearning" request is in the central team's queue
and platform staff complete it; Nadia sees Zara current and asks for her deactivation; the
central team works it and Zara shows as deactivated in the historic list. Pages are checked
with axe at desktop width, and the learner's and authoriser's main pages at phone width too."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from elearning.demo import DEMO_PASSWORD, SITE_NAME
from elearning.demo_modules import GOVERNANCE, INTRODUCTION, SAFE_USE
from elearning.models import AccountRequest, ElearningCertificate, SiteStaff
from notifications.models import OutboundEmail
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

AUTHORISER = "nadia.khan@leedsgp.nhs.example"
ZARA = "zara.quinn@leedsgp.nhs.example"
ZARA_PASSWORD = "first week at the practice"
RIGHT = [
    "When you are involved in their care",
    "Auditors, and the patient if they ask",
    "Refuse and explain they should ask their own clinician",
]
WRONG = ["When a colleague asks you to check on a friend", "Nobody", "Look them up quickly"]


def _card(page: Page, title: str):
    return page.locator(".nhsuk-card").filter(has=page.get_by_role("heading", name=title))


def _invitation_link(base: str) -> str:
    message = OutboundEmail.objects.get(to=[ZARA], template="elearning/emails/invitation")
    found = re.search(r"https?://\S+/elearning/invitation/[^/\s]+/", message.text_body)
    assert found, message.text_body
    return base + urlsplit(found.group(0)).path


def _work_request(staff_page: Page, demo: Demo, kind: str) -> None:
    menu_link(staff_page, "Account requests").click()
    staff_page.get_by_label("Kind").select_option(label=kind)
    staff_page.get_by_label("Site").select_option(label=SITE_NAME)
    staff_page.get_by_role("button", name="Show requests").click()
    staff_page.get_by_role("link", name=f"{kind} for Zara Quinn").click()
    check_page(staff_page, f"journey-queue-{kind[:10].lower().replace(' ', '-')}")
    staff_page.get_by_role("button", name="Mark in progress").click()
    expect(staff_page.get_by_text("The request is marked in progress.")).to_be_visible()
    staff_page.get_by_role("button", name="Mark completed").click()
    expect(staff_page.get_by_text("The request is marked completed.")).to_be_visible()


def test_invite_learn_verify_queue_and_deactivate(page: Page, phone_page: Page, new_context, demo: Demo):
    base = demo.url
    # Nadia invites Zara to her site.
    log_in(page, base, AUTHORISER, DEMO_PASSWORD)
    menu_link(page, "Manage sites").click()
    page.get_by_label("Site").select_option(label=SITE_NAME)
    page.get_by_role("button", name="View site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Current staff members")
    check_page(page, "journey-site")
    page.get_by_role("link", name="Create invite").first.click()
    page.get_by_label("Forename").fill("Zara")
    page.get_by_label("Surname").fill("Quinn")
    page.get_by_label("Email address").fill(ZARA)
    page.get_by_label("Contact number").fill("0113 206 0002")
    page.get_by_label("Job title").fill("Practice pharmacist")
    page.get_by_label("Job category").select_option("pharmacy")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text(f"Invitation sent to Zara Quinn ({ZARA}).")).to_be_visible()

    # Zara accepts from the emailed link, confirms her details and sets a password.
    learner = new_context().new_page()
    learner.goto(_invitation_link(base))
    learner.get_by_role("button", name="Accept").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Confirm your details")
    learner.get_by_role("button", name="Continue").click()
    learner.get_by_label("Create a password").fill(ZARA_PASSWORD)
    learner.get_by_label("Confirm your password").fill(ZARA_PASSWORD)
    learner.get_by_role("button", name="Set password and accept").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Care record eLearning")
    check_page(learner, "journey-dashboard-new")

    # The three modules; the knowledge check is failed once, then passed.
    _card(learner, INTRODUCTION).get_by_role("button", name=re.compile("^Start module")).click()
    learner.get_by_role("button", name="Complete lesson").click()
    learner.get_by_role("button", name="Complete lesson").click()
    _card(learner, GOVERNANCE).get_by_role("button", name=re.compile("^Start module")).click()
    learner.get_by_role("button", name="Complete lesson").click()
    learner.get_by_role("button", name="Complete lesson").click()
    expect(learner.get_by_role("heading", level=1)).to_have_text("Knowledge check")
    for answer in WRONG:
        learner.get_by_label(answer, exact=True).check()
    learner.get_by_role("button", name="Submit answers").click()
    expect(learner.get_by_role("heading", name="Try again")).to_be_visible()
    check_page(learner, "journey-check-failed")
    for answer in RIGHT:
        learner.get_by_label(answer, exact=True).check()
    learner.get_by_role("button", name="Submit answers").click()
    expect(learner.locator("main")).to_contain_text(f"You passed the knowledge check for {GOVERNANCE}")
    _card(learner, SAFE_USE).get_by_role("button", name=re.compile("^Start module")).click()
    learner.get_by_role("button", name="Complete lesson").click()
    learner.get_by_role("button", name="Complete lesson").click()
    with learner.expect_download() as download:
        learner.get_by_role("link", name="Download your certificate (PDF)").click()
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")  # noqa: SIM115 - Playwright's file
    check_page(learner, "journey-dashboard-complete")
    log_in(phone_page, base, ZARA, ZARA_PASSWORD)
    phone_page.goto(f"{base}/elearning/")
    check_page(phone_page, "journey-dashboard-complete-phone")

    # Anyone, logged out, checks the certificate.
    certificate = ElearningCertificate.objects.get(user__email=ZARA)
    visitor = new_context().new_page()
    visitor.goto(f"{base}/verify/")
    visitor.get_by_label("Verification code").fill(certificate.code)
    visitor.get_by_role("button", name="Check certificate").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(visitor.locator("main")).to_contain_text("Zara Quinn")

    # The "completed eLearning" request waits for the central team, who complete it.
    zara = SiteStaff.objects.get(user__email=ZARA)
    create = AccountRequest.objects.get(site_staff=zara)
    assert (create.kind, create.status) == (AccountRequest.Kind.CREATE_ACCOUNT, AccountRequest.Status.OPEN)
    staff_page = new_context().new_page()
    log_in(staff_page, base, demo.platform_staff, demo.password)
    _work_request(staff_page, demo, "Completed eLearning - create account")

    # Nadia sees Zara current, with her progress, and asks for her deactivation.
    page.goto(f"{base}/elearning/sites/{zara.centre.public_id}/")
    row = page.get_by_role("row").filter(has_text="Zara Quinn")
    expect(row).to_contain_text("3 of 3 required modules")
    phone_page.context.clear_cookies()  # Zara's session ends; Nadia on her phone
    log_in(phone_page, base, AUTHORISER, DEMO_PASSWORD)
    phone_page.goto(page.url)
    check_page(phone_page, "journey-site-phone")
    page.get_by_role("link", name="Zara Quinn").click()
    page.get_by_role("link", name="Request deactivation").click()
    page.get_by_role("radio", name="Maternity leave").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your deactivation request for Zara Quinn has gone to the central team.")).to_be_visible()

    # The central team works it; Zara shows as deactivated in the historic list.
    _work_request(staff_page, demo, "Deactivate")
    page.goto(f"{base}/elearning/sites/{zara.centre.public_id}/")
    expect(page.get_by_role("link", name="Zara Quinn")).to_have_count(0)
    page.get_by_role("link", name="All historic memberships").click()
    row = page.get_by_role("row").filter(has_text="Zara Quinn")
    expect(row).to_contain_text("Deactivated")
    expect(row).to_contain_text("Maternity leave")
    check_page(page, "journey-history")
    zara.refresh_from_db()
    assert zara.status == SiteStaff.Status.DEACTIVATED
