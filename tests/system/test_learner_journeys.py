"""P4/P6 in a real browser: a learner self-assesses with "Save and continue", filters their
passport, asks their educator to confirm two proficiencies and withdraws the request.

Every page visited is screenshotted and checked with axe-core (tests/system/conftest.py), at
desktop width and on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Membership
from notifications.models import OutboundEmail
from passports.models import ConfirmationRequest, Proficiency
from passports.tests.factories import enrolment_build, framework_version_build
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"
NAMES = [
    "Explain the indications for intravenous therapy",
    "Prepare the equipment for a peripheral cannula",
    "Check the prescription and the patient's identity",
    "Calculate an infusion rate",
]


def _passport_for_oliver(demo: Demo):
    version = framework_version_build(name="Cannulation Passport", sections=3, per_section=4)
    version.prerequisites_html = "<p>Complete the eLearning module on infection prevention first.</p>"
    version.save()
    for position, name in enumerate(NAMES, start=1):
        Proficiency.objects.filter(version=version, position=position).update(name=name)
    learner = Membership.objects.get(centre__code="MPFT", user__email=demo.learner)
    return enrolment_build(centre=learner.centre, version=version, learner=learner, educator=_rajesh())


def _rajesh() -> Membership:
    return Membership.objects.get(centre__code="MPFT", user__first_name="Rajesh")


def test_learner_self_assesses_and_requests_confirmation(page: Page, demo: Demo):
    enrolment = _passport_for_oliver(demo)
    log_in(page, demo.url, demo.learner, demo.password)
    menu_link(page, "My passports").click()
    expect(page).to_have_title("My passports" + TITLE_SUFFIX)
    check_page(page, "learner-home")
    page.get_by_role("link", name="Cannulation Passport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cannulation Passport")
    check_page(page, "learner-passport-start")

    # Three proficiencies, one after another.
    page.get_by_role("link", name="Start self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"1. {NAMES[0]}")
    check_page(page, "learner-proficiency")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select Achieved or Ongoing")
    check_page(page, "learner-proficiency-error")
    page.get_by_label("Achieved").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"2. {NAMES[1]}")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("has been saved")
    page.get_by_label("Achieved").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"3. {NAMES[2]}")
    page.get_by_label("Ongoing").check()
    page.get_by_label("Your note or action plan (optional)").fill("Shadowing on ward 12 next week")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"4. {NAMES[3]}")

    # Filter the passport.
    page.get_by_role("link", name="Back to the whole passport").click()
    page.get_by_label("Status").select_option(label="Self-assessed")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results")).to_have_text(re.compile(r"3 proficiencies match"))
    check_page(page, "learner-passport-filtered")

    # Ask the educator to confirm the two Achieved ones.
    page.get_by_role("link", name="Ask a supervisor to confirm proficiencies").click()
    expect(page).to_have_title(re.compile("^Ask for confirmation"))
    check_page(page, "learner-request")
    page.get_by_label(f"1. {NAMES[0]}").check()
    page.get_by_label(f"2. {NAMES[1]}").check()
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("2 proficiencies have been sent")
    expect(page.get_by_text("You can send a reminder from")).to_be_visible()
    check_page(page, "learner-request-open")
    request = ConfirmationRequest.objects.get(enrolment=enrolment)
    email = OutboundEmail.objects.get(template="passports/emails/confirmation_request")
    assert f"/passports/supervise/requests/{request.public_id}/" in email.text_body

    # Withdraw it.
    page.get_by_role("link", name=re.compile("^Withdraw this request")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw your request to Rajesh Patel")
    check_page(page, "learner-withdraw")
    page.get_by_role("button", name="Withdraw request").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("withdrawn")
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_learner_pages_on_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    enrolment = _passport_for_oliver(demo)
    log_in(page, demo.url, demo.learner, demo.password)
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/")
    check_page(page, "learner-passport-phone")
    page.get_by_role("link", name=f"1. {NAMES[0]}").click()
    page.get_by_label("Achieved").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"2. {NAMES[1]}")
    check_page(page, "learner-proficiency-phone")
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/request-confirmation/")
    check_page(page, "learner-request-phone")
    # A big framework is shown a section at a time.
    version = framework_version_build(name="Medicines management passport", sections=12, per_section=5)
    big = enrolment_build(centre=enrolment.centre, version=version, learner=enrolment.membership, educator=_rajesh())
    page.goto(f"{demo.url}/passports/enrolments/{big.public_id}/")
    expect(page.get_by_role("heading", name="Sections")).to_be_visible()
    check_page(page, "learner-big-passport-phone")
    page.get_by_role("link", name="Section 3", exact=True).click()
    expect(page.get_by_role("link", name="15. Proficiency 3.5")).to_be_visible()
    check_page(page, "learner-big-passport-section-phone")
    # Nothing is wider than the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
