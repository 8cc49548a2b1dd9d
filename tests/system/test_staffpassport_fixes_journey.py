"""Issue 15 fixes in a real browser (helper I): the HR team's notifications refused without an
address link to where it is added; the ESR preview names a bad row's line in the file; the
credentials expiring in the next 30 days, every team's and HR's, at desktop and phone width
(axe and a screenshot each)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from staffpassport.esr.reading import HEADING
from staffpassport.tests.esr_helpers import esr_import_rows, person_row
from tests.system.conftest import Demo, check_page, log_in
from tests.system.staffpassport_trust import trust_with_senior_administrator

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]
AWARDED = (date.today() - timedelta(days=200)).isoformat()


def test_notifications_link_the_line_numbers_and_expiring_credentials(
    page: Page, demo: Demo, phone_page: Page, tmp_path
):
    trust = trust_with_senior_administrator()
    soon = (date.today() + timedelta(days=12)).isoformat()
    esr_import_rows(
        trust.centre,
        f"{person_row('82000001', 'Tom', 'Hughes')},right-to-work,RTW-1,{AWARDED},{soon}",
        f"{person_row('82000002', 'Amara', 'Okafor')},cstf-fire-safety,,{AWARDED},{soon}",
    )
    log_in(page, demo.url, trust.admin_email, trust.password)

    page.goto(f"{demo.url}/staff-passport/settings/notifications/hr/send/")
    page.get_by_label("Yes, send email notifications").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Add an email address for HR before you turn on email notifications").first).to_be_visible()
    check_page(page, "sp-fixes-notifications-no-address")
    page.get_by_role("link", name="Add the HR team email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HR team email address")

    bad = tmp_path / "feed.csv"
    rows = [f"{person_row(f'8300{n:04}', 'Ann', f'Lee{chr(65 + n)}')},,,," for n in range(22)]
    rows.append(f"{person_row('', 'No', 'Number')},,,,")
    bad.write_text("\n".join([",".join(HEADING), *rows]) + "\n")
    page.goto(f"{demo.url}/staff-passport/esr/")
    page.get_by_label("Upload the ESR feed").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("columnheader", name="Line in the file")).to_be_visible()
    expect(page.get_by_role("cell", name="24", exact=False).first).to_be_visible()
    expect(page.get_by_text("Line numbers count the heading as line 1")).to_be_visible()
    check_page(page, "sp-fixes-esr-line-numbers")

    page.goto(f"{demo.url}/staff-passport/staff/")
    page.get_by_role("link", name="Credentials expiring soon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credentials expiring in the next 30 days")
    expect(page.get_by_text("2 credentials expiring")).to_be_visible()
    check_page(page, "sp-fixes-expiring")
    page.get_by_role("link", name="HR team\u2019s").click()
    expect(page.get_by_text("1 credential expiring (HR team)")).to_be_visible()
    check_page(page, "sp-fixes-expiring-hr")

    log_in(phone_page, demo.url, trust.admin_email, trust.password)
    phone_page.goto(f"{demo.url}/staff-passport/credentials/expiring/?team=hr")
    expect(phone_page.get_by_text("Tom Hughes")).to_be_visible()
    check_page(phone_page, "sp-fixes-expiring-hr-phone")
    phone_page.goto(f"{demo.url}/staff-passport/settings/notifications/hr/send/")
    check_page(phone_page, "sp-fixes-notifications-no-address-phone")
