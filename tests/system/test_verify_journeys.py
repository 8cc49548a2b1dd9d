"""P9 public certificate verification in a real browser, not logged in: a valid code typed
as a person would (lower case, spaces), then an unknown code, an empty form, and the result
at phone width. Every page is screenshotted and checked with axe-core. Also the learner's
record download page and the progress report page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centres.models import Membership
from passports.models import Certificate, SignOff
from passports.tests.factories import enrolment_build, framework_version_build
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def signed_off_certificate(learner: Membership, educator: Membership, *, code: str) -> Certificate:
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=3)
    enrolment = enrolment_build(centre=learner.centre, version=version, learner=learner, educator=educator)
    now = timezone.now()
    sign_off = SignOff.objects.create(
        centre=learner.centre,
        enrolment=enrolment,
        educator=educator.user,
        status=SignOff.Status.SIGNED_OFF,
        decided_at=now,
    )
    enrolment.signed_off_at = now
    enrolment.save(update_fields=["signed_off_at"])
    return Certificate.objects.create(centre=learner.centre, enrolment=enrolment, sign_off=sign_off, code=code)


def test_anyone_checks_a_certificate_code(page: Page, phone_page: Page, demo: Demo):
    learner = Membership.objects.get(user__email=demo.two_centres, centre__name=demo.ltht)
    educator = Membership.objects.get(user__email=demo.educator)
    signed_off_certificate(learner, educator, code="7KQ4-M2XD-9PRT")

    page.goto(f"{demo.url}/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a certificate")
    check_page(page, "verify-form")

    page.get_by_role("button", name="Check certificate").click()
    expect(page).to_have_title("Error: Check a certificate" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the verification code from the certificate")
    check_page(page, "verify-form-error")

    page.get_by_label("Verification code").fill(" 7kq4 m2xd 9prt ")
    page.get_by_role("button", name="Check certificate").click()
    expect(page).to_have_url(f"{demo.url}/verify/7KQ4-M2XD-9PRT/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    body = page.locator("main")
    expect(body).to_contain_text("Cannulation Passport")
    expect(body).to_contain_text(demo.ltht)
    expect(body).not_to_contain_text(learner.delegate_number)
    expect(body).not_to_contain_text("@")
    check_page(page, "verify-valid")

    page.get_by_role("link", name="Check another certificate").click()
    page.get_by_label("Verification code").fill("ABCD-EFGH-JKLM")
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate not found")
    check_page(page, "verify-not-found")

    phone_page.goto(f"{demo.url}/verify/7KQ4-M2XD-9PRT/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(phone_page, "verify-valid-phone")


def test_learner_record_page_and_manager_progress_report(page: Page, new_context, demo: Demo):
    learner = Membership.objects.get(user__email=demo.two_centres, centre__name=demo.ltht)
    educator = Membership.objects.get(user__email=demo.educator)
    certificate = signed_off_certificate(learner, educator, code="R3CD-P4SS-2026")

    log_in(page, demo.url, demo.two_centres, demo.password)
    expect(page).to_have_url(f"{demo.url}/choose-centre/")
    page.get_by_role("radio", name=re.compile("Leeds Teaching")).check()
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{demo.url}/passports/records/{certificate.enrolment.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download passport record")
    expect(page.locator("main")).to_contain_text("R3CD-P4SS-2026")
    check_page(page, "record-download")
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passport record (PDF)")
    expect(page.locator("main")).to_contain_text("Your PDF is ready")
    check_page(page, "record-job")

    manager_page = new_context().new_page()
    log_in(manager_page, demo.url, demo.centre_manager, demo.password)
    # The header menu lists it (behind "More" when the menu is too wide for the screen).
    expect(manager_page.locator('header a[href="/passports/reports/"]')).to_have_count(1)
    manager_page.goto(f"{demo.url}/passports/reports/")
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Passport reports")
    check_page(manager_page, "passport-reports")
    manager_page.get_by_role("button", name="Download progress report").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("Passport progress report")
    check_page(manager_page, "passport-progress-job")
