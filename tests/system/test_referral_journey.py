"""Issue 6 end to end in a real browser, on the demo Staffordshire and Stoke-on-Trent DSR:

Sophie (referrer, MPFT) submits a referral; the register's team inbox gets the new-referral
email (a reference and a link, no patient details); Sophie updates the referral and sees the
change on its History tab; Lucy (DSR administrator) finds it in the list, records an outcome,
then records another with Save and archive and confirms; the dashboard and the active
referral report no longer include the person; the archived report does.

Every page is screenshotted and checked with axe-core; the referral form and the list are also
checked on a phone (390 px) and must not scroll sideways there.
Screenshots: test-results/screens/dsr-*.png.
"""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from referrals.models import Referral
from reporting.excel import table_rows
from tests.system.conftest import PHONE, Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

CETR_QUESTION = "Has a Care (Education) and Treatment Review (C(E)TR) been requested?"
LAEP_QUESTION = "Has a Local Area Emergency Protocol (LAEP) been requested?"

FIRST, LAST = "Harriet", "Quinnell"
NHS_NUMBER = "401 023 2137"


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def _submit_referral(page: Page) -> None:
    page.get_by_role(
        "group", name="Does the person have capacity to consent to be added to the register?"
    ).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Has the person given consent?").get_by_label("Yes", exact=True).check()
    page.get_by_label("First name").fill(FIRST)
    page.get_by_label("Last name").fill(LAST)
    birth = page.get_by_role("group", name="Date of birth")
    birth.get_by_label("Day").fill("4")
    birth.get_by_label("Month").fill("11")
    birth.get_by_label("Year").fill("2001")
    page.get_by_label("NHS number").fill(NHS_NUMBER)
    page.get_by_role("group", name="Learning disability and/or autism").get_by_label("Autism", exact=True).check()
    page.get_by_label("Ethnicity").select_option(label="White - British")
    page.get_by_label("Locality").select_option(label="South Staffordshire")
    page.get_by_role("group", name="Does the person have a history with criminal justice?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Risk level").get_by_label("Amber", exact=True).check()
    page.get_by_label("Latest update for the DSR meeting").fill("Placement breaking down; needs review.")
    page.get_by_role("button", name="Add to the register").click()


def test_referral_from_submission_to_archive(page: Page, demo: Demo, new_context):
    # -- Sophie, a referrer, submits a referral (first with a mistake) ------------------------
    log_in(page, demo.url, demo.referrer, demo.password)
    menu_link(page, "Support register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staffordshire and Stoke-on-Trent DSR")
    check_page(page, "dsr-home-referrer")
    page.get_by_role("link", name="New referral").click()
    page.get_by_role("button", name="Add to the register").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    check_page(page, "dsr-form-errors")
    _submit_referral(page)
    expect(page.locator(".nhsuk-caption-l")).to_contain_text("DSR-")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{FIRST} {LAST}")
    check_page(page, "dsr-referral-created")
    referral = Referral.objects.get(last_name=LAST)
    assert referral.nhs_number == NHS_NUMBER.replace(" ", "")

    # The team inbox is told, with the reference and a link but not the person's details.
    email = OutboundEmail.objects.get(template="referrals/emails/new_referral", to__contains=[demo.dsr_team_inbox])
    assert referral.reference in email.text_body
    assert f"/dsr/referrals/{referral.public_id}/" in email.text_body
    assert LAST not in email.text_body
    assert LAST not in email.subject
    assert referral.nhs_number not in email.text_body

    # Sophie updates the risk level from the record's summary ("Change" opens the edit form at
    # the question) and sees the change on the History tab.
    expect(page.get_by_role("heading", level=2, name="At a glance")).to_be_visible()
    page.get_by_role("link", name="Change risk level").click()
    page.get_by_role("group", name="Risk level").get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Update record").click()
    expect(page.locator(".nhsuk-card--confirmation, .nhsuk-notification-banner, [role=status]").first).to_contain_text(
        "has been updated"
    )
    page.get_by_role("link", name=re.compile(r"^History \(1\)$")).click()
    history = page.locator(".app-history")
    expect(history).to_contain_text("Risk level")
    expect(history).to_contain_text("Amber")
    expect(history).to_contain_text("Red")
    check_page(page, "dsr-history")

    # -- Lucy, a DSR administrator, records an outcome and archives the record ----------------
    admin_page = new_context().new_page()
    log_in(admin_page, demo.url, demo.dsr_admin, demo.password)
    admin_page.goto(f"{demo.url}/dsr/referrals/")
    admin_page.get_by_label("Search").fill(LAST[:5])  # no button: the list follows the typing
    expect(admin_page.get_by_text(f"Showing 1 to 1 of 1 referral matching “{LAST[:5]}”")).to_be_visible()
    expect(admin_page.locator("table")).to_contain_text(f"{FIRST} {LAST}")
    check_page(admin_page, "dsr-list-search")
    row = admin_page.get_by_role("row").filter(has_text=f"{FIRST} {LAST}")
    row.get_by_role("link", name=re.compile("^Outcomes")).click()
    expect(admin_page.get_by_role("heading", level=2, name="Record an outcome")).to_be_visible()
    admin_page.get_by_role("group", name=CETR_QUESTION).get_by_label("Yes", exact=True).check()
    admin_page.get_by_role("group", name=LAEP_QUESTION).get_by_label("No", exact=True).check()
    # Neither follow-up question shows before the meeting question is answered (issue 16 item 12).
    expect(admin_page.get_by_label("Why did this not happen?")).to_be_hidden()
    expect(admin_page.get_by_role("group", name="What was the outcome?")).to_be_hidden()
    admin_page.get_by_role("group", name="Did either meeting happen?").get_by_label("No", exact=True).check()
    admin_page.get_by_label("Why did this not happen?").fill("The family asked to move the date.")
    check_page(admin_page, "dsr-outcome-form")
    admin_page.get_by_role("button", name="Save and update").click()
    expect(admin_page.get_by_text("The record is still active")).to_be_visible()
    expect(admin_page.get_by_role("link", name=re.compile(r"^Outcomes \(1\)$"))).to_be_visible()
    outcomes_url = admin_page.url
    total_before = _dashboard_total(admin_page, demo)
    admin_page.goto(outcomes_url)

    admin_page.get_by_role("group", name=CETR_QUESTION).get_by_label("Yes", exact=True).check()
    admin_page.get_by_role("group", name=LAEP_QUESTION).get_by_label("No", exact=True).check()
    admin_page.get_by_role("group", name="Did either meeting happen?").get_by_label("Yes", exact=True).check()
    admin_page.get_by_role("group", name="What was the outcome?").get_by_label(
        "Remain in the community with an updated support plan"
    ).check()
    admin_page.get_by_label("Summary for next meeting").fill("Stable with the new plan.")
    admin_page.get_by_label("Plan from meeting").fill("Review in three months through the community team.")
    admin_page.get_by_role("button", name="Save and archive").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(f"Archive {FIRST} {LAST}'s record?")
    check_page(admin_page, "dsr-archive-confirm")
    admin_page.get_by_role("button", name="Yes, archive").click()
    referral.refresh_from_db()
    assert referral.is_archived
    expect(admin_page.get_by_text("This record is archived: it can be read but not changed.")).to_be_visible()
    check_page(admin_page, "dsr-archived")

    # The list no longer shows it.
    admin_page.goto(f"{demo.url}/dsr/referrals/?q={LAST}")
    expect(admin_page.get_by_text(f"{FIRST} {LAST}")).to_have_count(0)

    _reports_after_archive(admin_page, demo, total_before=total_before)

    # The referral form and the list on a phone.
    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.referrer, demo.password)
    phone.goto(f"{demo.url}/dsr/referrals/new/")
    _no_sideways_scroll(phone)
    check_page(phone, "dsr-phone-form")
    phone.goto(f"{demo.url}/dsr/referrals/")
    _no_sideways_scroll(phone)
    check_page(phone, "dsr-phone-list")


def _download_report(page: Page, report: str) -> list[str]:
    """Ask for `report` on the reporting page, wait for it and return the surnames in it."""
    page.get_by_role("group", name="Report", exact=True).get_by_label(report, exact=True).check()
    page.get_by_role("button", name="Request report").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("^Download")).click()
    with open(download_info.value.path(), "rb") as file:  # the download has no .xlsx name
        rows = table_rows(load_workbook(file, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    last_name = header.index("Last name")
    return [row[last_name] for row in rows[1:]]


def _dashboard_total(page: Page, demo: Demo) -> int:
    page.goto(f"{demo.url}/dsr/reporting/")
    return int(page.locator(".app-dashboard-total__number").inner_text())


def _reports_after_archive(page: Page, demo: Demo, *, total_before: int) -> None:
    assert total_before == Referral.objects.filter(register__slug="staffordshire").count()
    assert _dashboard_total(page, demo) == total_before - 1
    check_page(page, "dsr-dashboard")
    active = _download_report(page, "Referral data")
    assert LAST not in active
    assert "Plum" in active
    page.goto(f"{demo.url}/dsr/reporting/")
    archived = _download_report(page, "Archived referral and outcome data")
    assert LAST in archived
    assert "Plum" not in archived
