"""Issue 16 items 3 and 4 in a real browser, at 1280 and 390 wide with axe on every page: an
assessor with two requests from one learner tells them apart on the home page and Supervise,
selects a section with one click and confirms it, and confirms the rest with "Confirm all"
from the top of the list; a centre manager reads the passport figures as charts and filters
them by job group; a DSR administrator sees referrals per month and risk by organisation.
Screenshots: test-results/screens/review-*.png, reports-*.png, dsr-charts-*.png."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre, Membership
from passports.models import Proficiency, ResultStatus
from passports.tests.factories import enrolment_build, framework_version_build
from passports.tests.test_supervisor_data import request_build
from tests.system.conftest import PHONE, Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def _two_requests(demo: Demo):
    """Grace at LTHT on a 2-section framework with Tom (assessor) as a supervisor: one request
    of 3 results (section 1), then one of 7 (the rest of section 1 and all of section 2)."""
    centre = Centre.objects.get(code="LTHT")
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=5)
    Proficiency.objects.filter(version=version, position=6).update(is_supernumerary=True)
    member = Membership.objects.for_centre(centre)
    enrolment = enrolment_build(
        centre=centre,
        version=version,
        learner=member.get(user__email=demo.two_centres),
        educator=member.get(user__email=demo.educator),
    )
    tom = member.get(user__email=demo.assessor).user
    enrolment.supervisors.create(centre=centre, user=tom, added_by=enrolment.membership.user)
    results = list(enrolment.results.order_by("proficiency__position"))
    first = request_build(enrolment, tom, results[:3])
    second = request_build(enrolment, tom, results[3:])
    return enrolment, first, second


def test_assessor_tells_two_requests_apart_and_confirms_by_section(page: Page, new_context, demo: Demo):
    enrolment, first, _second = _two_requests(demo)
    log_in(page, demo.url, demo.assessor, demo.password)
    page.goto(f"{demo.url}/")
    todo = page.get_by_role("region", name="To do")
    expect(todo).to_contain_text("2 confirmation requests waiting for you")
    expect(todo).to_contain_text("Cannulation Passport: 3 results, asked")
    expect(todo).to_contain_text("Cannulation Passport: 7 results, asked")
    check_page(page, "review-home-todo")

    page.goto(f"{demo.url}/passports/supervise/")
    expect(page.get_by_role("link", name=re.compile(r"Cannulation Passport: 7 results, asked"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Cannulation Passport: 3 results, asked"))).to_be_visible()
    check_page(page, "review-supervise-two-requests")
    page.get_by_role("link", name=re.compile(r"Cannulation Passport: 7 results, asked")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm results for Grace Okafor")
    # "Confirm all" is above the list, without a scroll; each section has its own.
    expect(page.get_by_role("button", name="Confirm all 7 results")).to_be_in_viewport()
    expect(page.get_by_text("Supernumerary", exact=True)).to_be_visible()
    page.get_by_text("Description").first.click()
    expect(page.get_by_text("Do task 1.4 safely.")).to_be_visible()
    check_page(page, "review-request")

    # "Select all in this section" ticks section 2's five in place (JavaScript), then clears them.
    section = page.locator("#section-2")
    section.get_by_role("link", name=re.compile("^Select all in this section")).click()
    expect(section.locator("input[name=selected]:checked")).to_have_count(5)
    expect(page.locator("#section-1 input[name=selected]:checked")).to_have_count(0)
    section.get_by_role("link", name=re.compile("^Clear all in this section")).click()
    expect(page.locator("input[name=selected]:checked")).to_have_count(0)

    # Confirm all of section 2 with one click; the rest stays for later.
    section.get_by_role("button", name="Confirm all 5 in Section 2").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 5 results")
    check_page(page, "review-after-section")
    statuses = dict(enrolment.results.values_list("proficiency__position", "status"))
    assert [statuses[p] for p in range(6, 11)] == [ResultStatus.CONFIRMED] * 5
    assert [statuses[p] for p in (4, 5)] == [ResultStatus.REQUESTED] * 2

    # The rest: "Confirm all 2 results" at the top ends the request.
    page.get_by_role("button", name="Confirm all 2 results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervise")
    expect(page.get_by_role("link", name=re.compile(r"Cannulation Passport: 3 results, asked"))).to_be_visible()

    # On a phone: the other request, Select all without JavaScript's help is a link, and the
    # Cancel beside Reject is a link back.
    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.assessor, demo.password)
    phone.goto(f"{demo.url}/passports/supervise/requests/{first.public_id}/")
    expect(phone.get_by_role("button", name="Confirm all 3 results")).to_be_in_viewport()
    check_page(phone, "review-phone-request")
    _no_sideways_scroll(phone)
    phone.get_by_role("link", name="Cancel and go back to Supervise").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Supervise")
    check_page(phone, "review-phone-supervise")
    phone.goto(f"{demo.url}/")
    check_page(phone, "review-phone-home")
    _no_sideways_scroll(phone)


def test_select_all_works_without_javascript(browser, demo: Demo):
    enrolment, _first, second = _two_requests(demo)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, demo.url, demo.assessor, demo.password)
    page.goto(f"{demo.url}/passports/supervise/requests/{second.public_id}/")
    page.get_by_role("link", name="Select all 7").click()
    expect(page.locator("input[name=selected]:checked")).to_have_count(7)
    page.get_by_label("Comment for the learner (optional)").fill("All seen on ward 12")
    page.get_by_role("button", name="Confirm ticked results").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 7 results")
    assert enrolment.results.filter(status=ResultStatus.CONFIRMED).count() == 7
    context.close()


def test_manager_reads_passport_charts_and_filters_by_job_group(page: Page, new_context, demo: Demo):
    _two_requests(demo)
    log_in(page, demo.url, demo.centre_manager, demo.password)
    page.goto(f"{demo.url}/passports/reports/")
    expect(page.get_by_role("heading", name="Progress at a glance")).to_be_visible()
    chart = page.get_by_role("table", name="Cannulation Passport")
    expect(chart.get_by_role("row", name=re.compile("^Enrolled"))).to_contain_text("1")
    check_page(page, "reports-charts")
    job_groups = page.get_by_label("Job group")
    options = job_groups.locator("option").all_inner_texts()
    assert options[0] == "All job groups"
    assert len(options) >= 2
    job_groups.select_option(label=options[1])
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text(f"in the job group {options[1]}")).to_be_visible()
    check_page(page, "reports-charts-job-group")

    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.centre_manager, demo.password)
    phone.goto(f"{demo.url}/passports/reports/")
    check_page(phone, "reports-phone-charts")
    _no_sideways_scroll(phone)


def test_dsr_dashboard_shows_months_and_risk_by_organisation(page: Page, new_context, demo: Demo):
    log_in(page, demo.url, demo.dsr_admin, demo.password)
    page.goto(f"{demo.url}/dsr/reporting/")
    months = page.locator("#chart-month tbody tr")
    expect(months).to_have_count(12)
    expect(page.locator("#chart-risk-organisation")).to_contain_text("Total")
    check_page(page, "dsr-charts")
    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.dsr_admin, demo.password)
    phone.goto(f"{demo.url}/dsr/reporting/")
    check_page(phone, "dsr-charts-phone")
    _no_sideways_scroll(phone)
