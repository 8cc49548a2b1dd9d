"""Issue 5 end to end in a real browser, three people in their own browser contexts:

Oliver (learner, MPFT) adds Chloe (assessor) as a supervisor, self-assesses 10 proficiencies
as Achieved and asks Chloe to confirm them; Chloe confirms 8 at once and rejects 2 with an
action plan; Oliver sees both outcomes and the action plan, updates the 2 and sends them
again; Chloe confirms them; Oliver asks Rajesh (the educator who enrolled him) for sign-off;
Rajesh signs off; Oliver downloads the certificate PDF and the code checks out on the public
/verify/ page for someone who is not logged in.

Oliver's key pages are screenshotted and checked with axe-core at desktop width and on a phone
(390 px), and must not scroll sideways there. Screenshots: test-results/screens/journey-*.png.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Membership
from notifications.models import OutboundEmail
from passports.models import Certificate, Proficiency, ResultStatus
from passports.services.enrolment import enrolment_create
from passports.tests.factories import framework_version_build
from tests.system.conftest import PHONE, Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

FRAMEWORK = "Venepuncture Passport"
ASSESSOR = "chloe.adeyemi@mpft.nhs.example"
EDUCATOR = "rajesh.patel@mpft.nhs.example"
# Ten required proficiencies in two sections; one long name, as real frameworks have.
NAMES = [
    "Explain the indications for venepuncture",
    "Check the patient's identity against the request form",
    "Obtain valid consent and explain the procedure",
    "Prepare the equipment using aseptic non-touch technique",
    "Select an appropriate vein and apply the tourniquet correctly",
    "Perform venepuncture and fill the tubes in the correct order of draw",
    "Label the samples at the bedside",
    "Recognise, escalate and document the complications of venepuncture, including haematoma, "
    "nerve injury, arterial puncture and vasovagal reaction",
    "Dispose of sharps safely",
    "Document the procedure in the patient's record",
]
ACTION_PLAN = "Complete the sharps e-learning and be observed twice on ward 12"


def _enrol_oliver(demo: Demo):
    """Oliver enrolled by Rajesh through the enrolment service (as the educator's Enrol page
    does) on a published 10-proficiency framework where all 10 are required."""
    version = framework_version_build(name=FRAMEWORK, sections=2, per_section=5)
    for proficiency, name in zip(version.proficiencies.order_by("position"), NAMES, strict=True):
        Proficiency.objects.filter(pk=proficiency.pk).update(name=name)
    version.sections.filter(position=1).update(name="Before the procedure")
    version.sections.filter(position=2).update(name="The procedure and aftercare")
    members = Membership.objects.filter(centre__code="MPFT")
    learner = members.get(user__email=demo.learner)
    educator = members.get(user__email=EDUCATOR)
    return enrolment_create(
        centre=learner.centre,
        membership=learner,
        framework=version.framework,
        complete_by=None,
        enrolled_by=educator.user,
    )


def _label(position: int) -> str:
    return f"{position}. {NAMES[position - 1]}"


def _no_sideways_scroll(page: Page, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], f"{what} scrolls sideways on a phone ({width}px)"


def _phone_check(phone: Page, url: str, name: str) -> None:
    phone.goto(url)
    check_page(phone, name)
    _no_sideways_scroll(phone, name)


def _review(page: Page, demo: Demo, positions: list[int], *, confirm: bool, text: str) -> None:
    """The assessor opens the request from the Supervise to-do list and confirms or rejects
    the ticked results."""
    page.goto(f"{demo.url}/passports/supervise/")
    page.get_by_role("link", name=f"Confirm results for Oliver Bennett's {FRAMEWORK}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm results for Oliver Bennett")
    for position in positions:
        page.get_by_label(_label(position), exact=True).check()
    if confirm:
        page.get_by_label("Comment for the learner (optional)").fill(text)
        page.get_by_role("button", name="Confirm ticked results").click()
    else:
        page.get_by_label("Action plan (needed to reject)").fill(text)
        page.get_by_role("button", name="Reject ticked results").click()


def test_passport_from_self_assessment_to_verified_certificate(page: Page, new_context, demo: Demo):
    enrolment = _enrol_oliver(demo)
    passport_url = f"{demo.url}/passports/enrolments/{enrolment.public_id}/"
    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.learner, demo.password)
    assessor = new_context().new_page()
    log_in(assessor, demo.url, ASSESSOR, demo.password)

    # -- Oliver: his passport, a supervisor, then self-assessment --------------------------------
    log_in(page, demo.url, demo.learner, demo.password)
    menu_link(page, "My passports").click()
    check_page(page, "journey-learner-home")
    page.get_by_role("link", name=FRAMEWORK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FRAMEWORK)
    expect(page.locator("#next-steps + ul")).to_contain_text("When you self-assess a proficiency as Achieved")
    check_page(page, "journey-passport-start")
    _phone_check(phone, f"{demo.url}/passports/", "journey-phone-learner-home")
    _phone_check(phone, passport_url, "journey-phone-passport-start")

    page.get_by_role("link", name="Your supervisors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your supervisors")
    page.get_by_label("Add a supervisor").select_option(label=f"Chloe Adeyemi ({ASSESSOR})")
    page.get_by_role("button", name="Add supervisor").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Chloe Adeyemi has been added")
    check_page(page, "journey-supervisors")
    page.get_by_role("link", name=f"Back to {FRAMEWORK}").click()

    page.get_by_role("link", name="Start self-assessment").click()
    for position in range(1, 11):
        expect(page.get_by_role("heading", level=1)).to_have_text(_label(position))
        if position == 8:
            check_page(page, "journey-proficiency-long-name")
        page.get_by_label("Achieved").check()
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FRAMEWORK)  # after the last one
    _phone_check(phone, f"{passport_url}proficiencies/8/", "journey-phone-proficiency-long-name")

    page.get_by_role("link", name="Ask a supervisor to confirm proficiencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for confirmation")
    page.get_by_label("Chloe Adeyemi").check()
    for position in range(1, 11):
        page.get_by_label(_label(position), exact=True).check()
    check_page(page, "journey-request-confirmation")
    _phone_check(phone, page.url, "journey-phone-request-confirmation")
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("10 proficiencies have been sent")
    page.goto(passport_url)
    expect(page.locator("#next-steps + ul")).to_contain_text("your open confirmation request (1)")
    check_page(page, "journey-passport-waiting")

    # -- Chloe confirms 8 at once and rejects 2 with an action plan ------------------------------
    _review(assessor, demo, list(range(1, 9)), confirm=True, text="Seen in practice on ward 12")
    expect(assessor.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 8 results")
    check_page(assessor, "journey-assessor-after-confirm")
    for position in (9, 10):
        assessor.get_by_label(_label(position), exact=True).check()
    assessor.get_by_label("Action plan (needed to reject)").fill(ACTION_PLAN)
    assessor.get_by_role("button", name="Reject ticked results").click()
    expect(assessor.locator(".nhsuk-notification-banner")).to_contain_text("You rejected 2 results")
    statuses = list(enrolment.results.values_list("status", flat=True))
    assert (statuses.count(ResultStatus.CONFIRMED), statuses.count(ResultStatus.REJECTED)) == (8, 2)
    summaries = OutboundEmail.objects.filter(template="passports/emails/review_summary")
    assert summaries.count() == 2  # one email per submission
    assert any(ACTION_PLAN in email.text_body for email in summaries)

    # -- Oliver sees both outcomes and the action plan, updates the 2 and sends them again -------
    page.goto(passport_url)
    steps = page.locator("#next-steps + ul")
    expect(steps).to_contain_text("2 proficiencies were not confirmed")
    expect(page.locator("main")).to_contain_text("8 confirmed")
    check_page(page, "journey-passport-rejected")
    _phone_check(phone, passport_url, "journey-phone-passport-rejected")
    steps.get_by_role("link", name="2 proficiencies were not confirmed").click()
    expect(page.locator("#results")).to_have_text(re.compile("2 proficiencies match"))
    check_page(page, "journey-passport-rejected-filter")
    for position in (9, 10):
        page.goto(f"{passport_url}proficiencies/{position}/")
        expect(page.locator("main")).to_contain_text("Action plan from Chloe Adeyemi")
        expect(page.locator("main")).to_contain_text(ACTION_PLAN)
        expect(page.locator("main")).to_contain_text("ask a supervisor to confirm it again")
        if position == 9:
            check_page(page, "journey-proficiency-rejected")
            _phone_check(phone, page.url, "journey-phone-proficiency-rejected")
        page.get_by_label("Your note or action plan (optional)").fill(
            "Completed the sharps e-learning; observed twice by Sister Khan on ward 12"
        )
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".app-saved")).to_contain_text("been saved")  # beside the answer (issue 16)
    page.goto(passport_url)
    page.get_by_role("link", name="Ask a supervisor to confirm proficiencies").click()
    page.get_by_label("Chloe Adeyemi").check()
    page.get_by_label(_label(9), exact=True).check()
    page.get_by_label(_label(10), exact=True).check()
    page.get_by_role("button", name="Send for confirmation").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("2 proficiencies have been sent")

    # -- Chloe confirms them ---------------------------------------------------------------------
    _review(assessor, demo, [9, 10], confirm=True, text="Observed and signed the sharps log")
    expect(assessor.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 2 results")
    assert enrolment.results.filter(status=ResultStatus.CONFIRMED).count() == 10

    # -- Oliver asks Rajesh for sign-off ---------------------------------------------------------
    page.goto(passport_url)
    expect(page.locator("#next-steps + ul")).to_contain_text("Every required proficiency is confirmed.")
    check_page(page, "journey-passport-ready")
    _phone_check(phone, passport_url, "journey-phone-passport-ready")
    page.get_by_role("link", name="Ask for sign-off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-off")
    page.get_by_label("Rajesh Patel").check()
    page.get_by_label("Comment for the educator (optional)").fill("All ten confirmed by Chloe, thank you")
    page.get_by_role("button", name="Ask for sign-off").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Rajesh Patel has been asked")
    check_page(page, "journey-signoff-requested")
    _phone_check(phone, page.url, "journey-phone-signoff-requested")

    # -- Rajesh signs off ------------------------------------------------------------------------
    educator = new_context().new_page()
    log_in(educator, demo.url, EDUCATOR, demo.password)
    menu_link(educator, "Supervise").click()
    educator.get_by_role("link", name=f"Sign off Oliver Bennett's {FRAMEWORK}").click()
    educator.get_by_label("Sign off this passport").check()
    educator.get_by_label("Comments for the learner").fill("Well done, Oliver")
    educator.get_by_role("button", name="Send decision").click()
    code = Certificate.objects.get(enrolment=enrolment).code
    expect(educator.locator(".nhsuk-notification-banner")).to_contain_text(f"Certificate {code} has been issued")
    educator.get_by_role("link", name="Download Oliver Bennett's record").click()
    expect(educator.get_by_role("heading", level=1)).to_have_text("Download passport record")

    # -- Oliver: the certificate code on his passport, and the PDF -------------------------------
    page.goto(passport_url)
    certificate = page.locator("#certificate")
    expect(certificate).to_contain_text("Signed off")
    expect(certificate).to_contain_text(code)
    expect(page.get_by_role("link", name="Start self-assessment")).to_have_count(0)
    check_page(page, "journey-passport-signed-off")
    _phone_check(phone, passport_url, "journey-phone-passport-signed-off")
    with page.expect_download() as download_info:
        certificate.get_by_role("link", name="Download your certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("link", name="Download your record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download passport record")
    expect(page.locator("main")).to_contain_text(code)
    check_page(page, "journey-record")
    _phone_check(phone, page.url, "journey-phone-record")
    _phone_check(phone, f"{passport_url}sign-off/", "journey-phone-signoff-signed-off")

    # -- Anyone, logged out, checks the code -----------------------------------------------------
    visitor = new_context().new_page()
    visitor.goto(f"{demo.url}/verify/")
    visitor.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Check certificate").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(visitor.locator("main")).to_contain_text("Oliver Bennett")
    expect(visitor.locator("main")).to_contain_text(FRAMEWORK)
    check_page(visitor, "journey-verify-valid")
