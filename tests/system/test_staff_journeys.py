"""P2/P3 in a real browser: an educator adds two people to their staff list (one registered,
one not), enrols the registered one with a complete-by date; the pages on a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centres.models import Centre
from passports.models import Enrolment, StaffListEntry
from passports.tests.factories import framework_version_build
from tests.system.conftest import Demo, check_page, fill_date, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_educator_adds_two_people_and_enrols_the_registered_one(page: Page, demo: Demo):
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=3)
    framework_version_build(name="Medicines management passport", sections=1, per_section=2)
    log_in(page, demo.url, demo.educator, demo.password)
    menu_link(page, "Staff list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff list")
    check_page(page, "staff-list-empty")

    page.get_by_role("button", name="Add people").click()
    page.get_by_label("Email addresses").fill("grace.okafor@ltht.nhs.example, not-an-email\nnew.nurse@ltht.nhs.example")
    page.get_by_role("button", name="Add to staff list").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "This is not an email address, so nobody was added for it: not-an-email"
    )
    expect(page.get_by_text("Not registered yet, so invited to register: new.nurse@ltht.nhs.example.")).to_be_visible()
    check_page(page, "staff-add-some-invalid")
    page.get_by_role("link", name="Staff list").first.click()

    expect(page.get_by_role("heading", name="2 people")).to_be_visible()
    expect(page.locator(".app-delegate-list > li").filter(has_text="new.nurse@ltht.nhs.example")).to_contain_text(
        "Not registered"
    )
    check_page(page, "staff-list")

    page.get_by_role("link", name="Enrol Grace Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enrol Grace Okafor")
    page.get_by_label("Cannulation Passport").check()
    fill_date(page, "Complete by (optional)", datetime.date(2020, 1, 1))
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The complete-by date must be in the future")
    check_page(page, "enrol-error")
    due = timezone.localdate() + datetime.timedelta(days=60)
    fill_date(page, "Complete by (optional)", due)
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("Grace Okafor has been enrolled on Cannulation Passport and emailed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Cannulation Passport")).to_be_visible()
    check_page(page, "staff-entry-enrolled")

    centre = Centre.objects.get(code="LTHT")
    enrolment = Enrolment.objects.for_centre(centre).get(membership__user__email="grace.okafor@ltht.nhs.example")
    assert (enrolment.version, enrolment.complete_by) == (version, due)
    assert StaffListEntry.objects.for_centre(centre).filter(membership__isnull=True).count() == 1

    page.get_by_role("link", name="Remove enrolment on Cannulation Passport").click()
    check_page(page, "enrolment-remove-confirm")


def test_staff_pages_on_a_phone(phone_page: Page, demo: Demo):
    from passports.services.enrolment import enrolment_create
    from passports.services.staff import staff_entries_add

    page = phone_page
    centre = Centre.objects.get(code="LTHT")
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=3)
    educator = centre.memberships.get(user__email=demo.educator).user
    outcome = staff_entries_add(
        centre=centre,
        educator=educator,
        emails_text="grace.okafor@ltht.nhs.example\ntom.underwood@ltht.nhs.example\na.very.long.email.address@ltht.nhs.example",
    )
    enrolment_create(
        centre=centre,
        membership=outcome.added[0].membership,
        framework=version.framework,
        complete_by=None,
        enrolled_by=educator,
    )
    log_in(page, demo.url, demo.educator, demo.password)
    page.goto(f"{demo.url}/passports/staff/")
    expect(page.get_by_role("heading", name="3 people")).to_be_visible()
    check_page(page, "phone-staff-list")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Grace Okafor", exact=True).click()
    check_page(page, "phone-staff-entry")
    page.goto(f"{demo.url}/passports/staff/add/")
    check_page(page, "phone-staff-add")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_learner_adds_and_removes_a_supervisor_on_a_phone(phone_page: Page, demo: Demo):
    from passports.services.enrolment import enrolment_create

    page = phone_page
    centre = Centre.objects.get(code="MPFT")
    version = framework_version_build(name="Cannulation Passport", sections=1, per_section=2)
    learner = centre.memberships.get(user__email=demo.learner)
    educator = centre.memberships.get(user__first_name="Rajesh").user
    enrolment = enrolment_create(
        centre=centre, membership=learner, framework=version.framework, complete_by=None, enrolled_by=educator
    )
    log_in(page, demo.url, demo.learner, demo.password)
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/supervisors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your supervisors")
    expect(page.get_by_text("Enrolled you on this passport")).to_be_visible()
    check_page(page, "phone-supervisors")
    page.get_by_label("Add a supervisor").select_option(label="Chloe Adeyemi (chloe.adeyemi@mpft.nhs.example)")
    page.get_by_role("button", name="Add supervisor").click()
    expect(page.get_by_text("Chloe Adeyemi has been added as a supervisor.")).to_be_visible()
    check_page(page, "phone-supervisors-added")
    page.get_by_role("link", name="Remove Chloe Adeyemi").click()
    check_page(page, "phone-supervisor-remove-confirm")
    page.get_by_role("button", name="Remove supervisor").click()
    expect(page.get_by_text("Chloe Adeyemi is no longer a supervisor")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
