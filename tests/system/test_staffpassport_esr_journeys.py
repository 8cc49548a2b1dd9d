"""Issue 15 S7 in a real browser: a senior portal administrator turns DBS auto-issuance off,
imports an ESR feed with one bad row, sees the row's error, fixes it and imports it; sees
DBS waiting for manual issue while the rest were issued, issues one; completes a person's
credentials required; and the HR weekly summary (the Monday task) counts what still waits.
Every page at desktop and phone width gets axe and a screenshot. At a trust of the test's own:
the demo's LTHT has staff passports of its own."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from notifications.tasks import weekly_summaries_send_task
from staffpassport.esr.reading import HEADING
from staffpassport.models import StaffCredential, StaffMember, TeamNotification
from staffpassport.tests.esr_helpers import required_codes
from tests.system.conftest import Demo, check_page, log_in, menu_link
from tests.system.staffpassport_trust import trust_with_senior_administrator

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]
TOM = "81000001,Tom,Hughes,tom.hughes@nhs.net,Administrative and Clerical,,Current,2019-04-01"
AMARA = "81000002,Amara,Okafor,amara.okafor@nhs.net,Nursing and Midwifery Registered,,New starter,2026-01-05"
AWARDED = (date.today() - timedelta(days=60)).isoformat()  # recent: nothing has expired yet
PRIYA = "81000003,Priya,Raman,priya.raman@nhs.net,Medical and Dental,,Temporary mover,2026-02-02"


def _feed(path, *, bad: bool):
    rows = [f"{TOM},{code},,{AWARDED}," for code in required_codes()]
    rows += [
        f"{AMARA},nmc-registration,19A1234E,{AWARDED},",
        f"{AMARA},dbs-enhanced-barred,001234567890,{AWARDED},",
        f"{PRIYA},dbs-enhanced-barred,009876543210,{AWARDED},",
        f"{PRIYA.replace('Medical and Dental', 'Medical and Wizardry') if bad else PRIYA},gmc-registration,7123456,"
        f"{AWARDED},",
    ]
    path.write_text("\n".join([",".join(HEADING), *rows]) + "\n")
    return path


def test_senior_administrator_imports_esr_and_issues_by_hand(page: Page, demo: Demo, phone_page: Page, tmp_path):
    trust = trust_with_senior_administrator()
    log_in(page, demo.url, trust.admin_email, trust.password)
    page.goto(f"{demo.url}/staff-passport/settings/auto-issuance/")
    page.get_by_label("DBS enhanced check with barred lists").uncheck()
    page.get_by_role("button", name="Continue").click()

    menu_link(page, "Staff passports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff passports awaiting credentials")
    page.get_by_role("link", name="Import an ESR feed").click()
    check_page(page, "esr-upload")
    page.get_by_label("Upload the ESR feed").set_input_files(str(_feed(tmp_path / "feed.csv", bad=True)))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    expect(page.get_by_text("“Medical and Wizardry” is not an ESR staff group")).to_be_visible()
    check_page(page, "esr-preview-with-error")
    assert not StaffMember.objects.for_centre(trust.centre).exists()

    page.get_by_label("Upload the corrected ESR feed").set_input_files(str(_feed(tmp_path / "fixed.csv", bad=False)))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    check_page(page, "esr-preview")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ESR feed saved")
    check_page(page, "esr-saved")

    page.get_by_role("link", name="Credentials waiting for manual issue").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credentials waiting for manual issue")
    expect(page.get_by_text("2 credentials waiting")).to_be_visible()
    check_page(page, "credentials-waiting")
    issued = StaffCredential.objects.for_centre(trust.centre).filter(status="issued").count()
    assert issued == len(required_codes()) + 2  # everything but the two DBS checks
    page.get_by_label("Select DBS enhanced check with barred lists of Amara Okafor").check()
    page.get_by_role("button", name="Issue selected credentials").click()
    expect(page.get_by_text("1 credential issued")).to_be_visible()
    check_page(page, "credential-issued")
    amara_dbs = StaffCredential.objects.for_centre(trust.centre).get(
        staff_member__first_name="Amara", credential__code="dbs-enhanced-barred"
    )
    assert amara_dbs.status == "issued"

    page.get_by_role("link", name="Awaiting credentials").click()
    check_page(page, "staff-awaiting")
    page.get_by_role("link", name="Tom Hughes").click()
    check_page(page, "staff-tom")
    page.get_by_role("button", name="Complete credentials required").click()
    expect(page.get_by_text("Credentials required completed: Tom Hughes moved to reviewed")).to_be_visible()
    page.get_by_role("link", name="Staff passports reviewed").click()
    expect(page.get_by_role("link", name="Tom Hughes")).to_be_visible()
    check_page(page, "staff-reviewed")

    # Phone width: the queue and a person's page.
    log_in(phone_page, demo.url, trust.admin_email, trust.password)
    phone_page.goto(f"{demo.url}/staff-passport/credentials/waiting/")
    check_page(phone_page, "credentials-waiting-phone")
    phone_page.goto(f"{demo.url}/staff-passport/staff/")
    check_page(phone_page, "staff-awaiting-phone")
    phone_page.get_by_role("link", name="Priya Raman").click()
    check_page(phone_page, "staff-priya-phone")
    phone_page.get_by_role("link", name="Bypass credentials required").click()
    check_page(phone_page, "staff-bypass-phone")

    # The HR team's weekly summary counts what still waits.
    TeamNotification.objects.update_or_create(
        centre=trust.centre, team="hr", defaults={"email": "hr.team@hdft.nhs.example", "send_emails": True}
    )
    weekly_summaries_send_task()
    email = OutboundEmail.objects.get(template="staffpassport/emails/team_summary", to=["hr.team@hdft.nhs.example"])
    assert "1 credential waiting for manual issue" in email.text_body
    assert "2 staff members whose required credentials are incomplete" in email.text_body
    assert "2 are new starters among them" in email.text_body
