"""E3/E4 in a real browser (el-sites): an authoriser sees a person current with a progress bar
and requests deactivation (sick leave); platform staff open the queue, filter it, add a public
note, mark the request in progress then completed; the authoriser sees the person deactivated
in "All historic memberships". Every page is screenshotted and checked with axe, at desktop
and at phone width."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre
from centres.roles import Role
from elearning.models import AccountRequest, Module, SiteStaff
from elearning.tests.sites_factories import module_complete, modules_make, site_staff_make
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, UserFactory
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _site_world(demo: Demo):
    site = Centre.objects.get(name=demo.ltht)
    authoriser = UserFactory(email="ada.authoriser@ltht.nhs.example", first_name="Ada", last_name="Authoriser")
    site_staff_make(site, user=authoriser, role=Role.AUTHORISER, job_title="Information governance lead")
    person = site_staff_make(
        site,
        user=UserFactory(email="sian.morgan@ltht.nhs.example", first_name="Sian", last_name="Morgan"),
        job_title="Ward clerk",
        job_category="admin_clerical",
    )
    Module.objects.update(is_published=False)  # only this test's modules count (seed_demo loads three)
    modules = modules_make(3)
    module_complete(person.user, modules[0])
    module_complete(person.user, modules[1])
    return site, authoriser, person


def test_authoriser_requests_deactivation_and_the_central_team_works_it(page: Page, new_context, demo: Demo):
    site, authoriser, person = _site_world(demo)

    # The authoriser: Manage sites -> the site -> the person, current, with a progress bar.
    log_in(page, demo.url, authoriser.email, PASSWORD)
    menu_link(page, "Manage sites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage sites")
    check_page(page, "el-sites-manage-sites")
    page.get_by_label("Site").select_option(label=demo.ltht)
    page.get_by_role("button", name="View site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Current staff members")
    row = page.get_by_role("row").filter(has_text="Sian Morgan")
    expect(row).to_contain_text("2 of 3 required modules")
    expect(row.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ada Authoriser")).to_contain_text("Account authoriser")
    check_page(page, "el-sites-site-staff")

    page.get_by_role("link", name="Sian Morgan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sian Morgan")
    check_page(page, "el-sites-staff-member")
    page.get_by_role("link", name="Request deactivation").click()
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_title(re.compile(r"^Error: Request deactivation"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select why the account should be deactivated")
    check_page(page, "el-sites-deactivate-errors")
    page.get_by_role("radio", name="Sick leave").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your deactivation request for Sian Morgan has gone to the central team.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Deactivate")).to_contain_text("Open")
    check_page(page, "el-sites-deactivation-requested")
    account_request = AccountRequest.objects.get(site_staff=person)

    # The central team: the queue, filtered, a public note, in progress, completed.
    staff_page = new_context().new_page()
    log_in(staff_page, demo.url, demo.platform_staff, demo.password)
    expect(staff_page.get_by_text("Account requests waiting")).to_be_visible()
    menu_link(staff_page, "Account requests").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Account requests")
    check_page(staff_page, "el-queue-list")
    staff_page.get_by_label("Kind").select_option(label="Deactivate")
    staff_page.get_by_label("Site").select_option(label=demo.ltht)
    staff_page.get_by_role("button", name="Show requests").click()
    table = staff_page.get_by_role("table")
    expect(table).to_contain_text("Sian Morgan")
    expect(table).to_contain_text("Ada Authoriser")
    staff_page.get_by_role("link", name="Deactivate for Sian Morgan").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Deactivate for Sian Morgan")
    expect(staff_page.get_by_text("Never write a password")).to_be_visible()
    check_page(staff_page, "el-queue-request")
    staff_page.get_by_label("Add a note").fill("We are deactivating the care record account today.")
    staff_page.get_by_role("radio", name="Public: emailed to the person who asked").check()
    staff_page.get_by_role("button", name="Add note").click()
    expect(staff_page.get_by_text("Note added and emailed to the person who asked.")).to_be_visible()
    staff_page.get_by_role("button", name="Mark in progress").click()
    expect(staff_page.get_by_text("The request is marked in progress.")).to_be_visible()
    check_page(staff_page, "el-queue-in-progress")
    staff_page.get_by_role("button", name="Mark completed").click()
    expect(staff_page.get_by_text("The request is marked completed.")).to_be_visible()
    check_page(staff_page, "el-queue-completed")
    account_request.refresh_from_db()
    assert account_request.status == "completed"
    emails = OutboundEmail.objects.filter(template__startswith="elearning/emails/request", to=[authoriser.email])
    assert emails.count() == 2

    # The authoriser: the person is deactivated in the historic list, gone from current staff.
    page.goto(f"{demo.url}/elearning/sites/{site.public_id}/")
    expect(page.get_by_role("link", name="Sian Morgan")).to_have_count(0)
    page.get_by_role("link", name="All historic memberships").click()
    row = page.get_by_role("row").filter(has_text="Sian Morgan")
    expect(row).to_contain_text("Deactivated")
    expect(row).to_contain_text("Sick leave")
    check_page(page, "el-sites-history")
    person.refresh_from_db()
    assert person.status == SiteStaff.Status.DEACTIVATED


def test_site_pages_at_phone_width(phone_page: Page, demo: Demo):
    site, authoriser, person = _site_world(demo)
    log_in(phone_page, demo.url, authoriser.email, PASSWORD)
    phone_page.goto(f"{demo.url}/elearning/sites/{site.public_id}/")
    expect(phone_page.get_by_text("2 of 3 required modules")).to_be_visible()
    check_page(phone_page, "el-sites-site-staff-phone")
    phone_page.goto(f"{demo.url}/elearning/sites/{site.public_id}/staff/{person.public_id}/")
    check_page(phone_page, "el-sites-staff-member-phone")
    phone_page.goto(f"{demo.url}/elearning/sites/{site.public_id}/staff/{person.public_id}/amend/")
    check_page(phone_page, "el-sites-amend-phone")
    phone_page.goto(f"{demo.url}/elearning/my-details/")
    check_page(phone_page, "el-sites-my-details-phone")
