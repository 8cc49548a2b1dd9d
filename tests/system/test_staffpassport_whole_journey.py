"""Issue 15 end to end, in one browser journey at a trust of its own (beside the demo's LTHT):
Rachel, the senior portal administrator, turns HR's weekly summary on, turns off automatic
issuance for DBS, makes the job role "Ward sister" on the way to a custom credentials-required
template for Nursing and Midwifery Registered new starters, imports an ESR feed with one bad
row, uploads it corrected, sees the DBS checks waiting for manual issue while the rest were
issued, issues Amara's, completes Amara's credentials required (the custom template applies to
her), downloads her DBS check as a verifiable credential (VC-JWT) that a logged-out visitor
verifies on /verify/; and the HR team's weekly summary, sent by the real task, counts what still
waits. Every page gets axe and a screenshot at desktop width (1280), the main ones at phone
width (390) too."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from notifications.tasks import weekly_summaries_send_task
from staffpassport.esr.reading import HEADING
from staffpassport.models import CredentialsTemplate, StaffCredential, StaffMember
from staffpassport.tests.esr_helpers import required_codes
from tests.system.conftest import PHONE, Demo, check_page, log_in, menu_link
from tests.system.staffpassport_trust import TRUST_NAME, trust_with_senior_administrator

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"
NURSING = "Nursing and Midwifery Registered"
TEMPLATE = "Ward sisters - new starters"
HR_EMAIL = "workforce@hdft.nhs.example"
REQUIRED = [  # the template's credentials, ticked one by one
    "Right to work in the UK",
    "DBS enhanced check with barred lists",
    "Nursing and Midwifery Council (NMC) registration",
    "Fire safety",
]
TOM = "82000001,Tom,Hughes,tom.hughes@nhs.net,Administrative and Clerical,,Current,2019-04-01"
AMARA = "82000002,Amara,Okafor,amara.okafor@nhs.net,Nursing and Midwifery Registered,Ward sister,New starter,2026-01-05"
AWARDED = (date.today() - timedelta(days=60)).isoformat()  # recent: nothing has expired yet
NMC_EXPIRES = date.today() + timedelta(days=20)  # HR's summary counts it as expiring
PRIYA = "82000003,Priya,Raman,priya.raman@nhs.net,Medical and Dental,,Temporary mover,2026-02-02"


def _feed(path: Path, *, bad: bool) -> str:
    rows = [f"{TOM},{code},,{AWARDED}," for code in required_codes()]
    rows += [
        f"{AMARA},right-to-work,RTW-88121,{AWARDED},",
        f"{AMARA},dbs-enhanced-barred,001234567890,{AWARDED},",
        f"{AMARA},nmc-registration,19A1234E,{AWARDED},{NMC_EXPIRES.isoformat()}",
        f"{AMARA},cstf-fire-safety,,{AWARDED},",
        f"{PRIYA},dbs-enhanced-barred,009876543210,{AWARDED},",
        f"{PRIYA.replace('Medical and Dental', 'Medical and Wizardry') if bad else PRIYA},gmc-registration,7123456,"
        f"{AWARDED},",
    ]
    path.write_text("\n".join([",".join(HEADING), *rows]) + "\n")
    return str(path)


def _phone(phone_page: Page, url: str, name: str) -> None:
    phone_page.goto(url)
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390, name
    check_page(phone_page, name)


def _banner(page: Page):
    return page.locator(".nhsuk-notification-banner--success")


def test_settings_esr_feed_manual_issue_review_credential_and_weekly_summary(
    phone_page: Page, new_context, demo: Demo, tmp_path
):
    trust = trust_with_senior_administrator()
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, demo.url, trust.admin_email, trust.password)
    log_in(phone_page, demo.url, trust.admin_email, trust.password)

    # HR's weekly summary on: an address first, then "Yes".
    menu_link(page, "Staff passport settings").click()
    expect(page).to_have_title("System management settings" + TITLE_SUFFIX)
    check_page(page, "sp-journey-settings")
    page.get_by_role("link", name="Notification settings").click()
    page.get_by_role("link", name="Change HR team email notifications").click()
    page.get_by_label("Yes, send email notifications").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()  # no address yet
    check_page(page, "sp-journey-team-sending-error")
    page.get_by_role("link", name="Back to notification settings").click()
    page.get_by_role("link", name="Change HR team email address").click()
    page.get_by_label("HR team email address").fill(HR_EMAIL)
    page.get_by_role("button", name="Continue").click()
    expect(_banner(page)).to_be_visible()
    page.get_by_role("link", name="Change HR team email notifications").click()
    page.get_by_label("Yes, send email notifications").check()
    page.get_by_role("button", name="Continue").click()
    expect(_banner(page)).to_contain_text("turned on")
    check_page(page, "sp-journey-notifications")
    page.get_by_role("link", name="Back to system management settings").click()

    # DBS is no longer issued automatically: the whole category off, then saved.
    page.get_by_role("link", name="Credential settings \N{EN DASH} automatic issuance").click()
    page.get_by_role(
        "button", name="Turn off automatic issuance for all Disclosure and Barring Service (DBS) credentials"
    ).click()
    expect(page.get_by_text("Your changes are not saved yet")).to_be_visible()
    expect(page.get_by_label("DBS enhanced check with barred lists")).not_to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(_banner(page)).to_contain_text("All settings were saved")
    check_page(page, "sp-journey-auto-issuance")
    _phone(phone_page, page.url, "sp-journey-auto-issuance-phone")
    page.get_by_role("link", name="Back to system management settings").click()

    # The job role "Ward sister", made on the way to a template for nursing new starters.
    page.get_by_role("link", name="Manage job roles").click()
    page.get_by_role("link", name=NURSING).click()
    page.get_by_role("button", name="Add a new job role").click()
    page.get_by_label("Job role name").fill("Ward sister")
    page.get_by_label("Create job role and create a credentials required policy").check()
    check_page(page, "sp-journey-job-role")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Create a credentials required template" + TITLE_SUFFIX)
    expect(page.get_by_label("Job role")).to_contain_text("Ward sister")
    page.get_by_label("Template name").fill(TEMPLATE)
    page.get_by_label("New starters and temporary movers", exact=True).check()
    for name in REQUIRED:
        page.get_by_label(name, exact=True).check()
    check_page(page, "sp-journey-template-form")
    page.get_by_role("button", name="Create template").click()
    expect(_banner(page)).to_contain_text(TEMPLATE)
    check_page(page, "sp-journey-templates")
    template = CredentialsTemplate.objects.for_centre(trust.centre).get(name=TEMPLATE)
    assert (template.job_role.name, template.employment_types) == ("Ward sister", "new_starter")
    _phone(phone_page, page.url, "sp-journey-templates-phone")

    # The ESR feed: one bad row, reported; nothing saved until it is corrected.
    menu_link(page, "Staff passports").click()
    page.get_by_role("link", name="Import an ESR feed").click()
    check_page(page, "sp-journey-esr-upload")
    page.get_by_label("Upload the ESR feed").set_input_files(_feed(tmp_path / "feed.csv", bad=True))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    expect(page.get_by_text("“Medical and Wizardry” is not an ESR staff group")).to_be_visible()
    check_page(page, "sp-journey-esr-error")
    _phone(phone_page, page.url, "sp-journey-esr-error-phone")
    assert not StaffMember.objects.for_centre(trust.centre).exists()
    page.get_by_label("Upload the corrected ESR feed").set_input_files(_feed(tmp_path / "fixed.csv", bad=False))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    check_page(page, "sp-journey-esr-preview")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ESR feed saved")
    check_page(page, "sp-journey-esr-saved")

    # The two DBS checks wait for a person; everything else was issued.
    credentials = StaffCredential.objects.for_centre(trust.centre)
    assert credentials.filter(status="issued").count() == len(required_codes()) + 4  # Tom's, Amara's 3, Priya's GMC
    page.get_by_role("link", name="Credentials waiting for manual issue").first.click()
    expect(page.get_by_text("2 credentials waiting")).to_be_visible()
    check_page(page, "sp-journey-waiting")
    _phone(phone_page, page.url, "sp-journey-waiting-phone")
    page.get_by_label("Select DBS enhanced check with barred lists of Amara Okafor").check()
    page.get_by_role("button", name="Issue selected credentials").click()
    expect(page.get_by_text("1 credential issued")).to_be_visible()
    check_page(page, "sp-journey-issued")

    # Amara's credentials required come from the custom template; all issued, so complete them.
    page.get_by_role("link", name="Awaiting credentials").click()
    check_page(page, "sp-journey-awaiting")
    page.get_by_role("link", name="Amara Okafor").click()
    expect(page.locator("main")).to_contain_text(f"Template: {TEMPLATE}. 4 of 4 issued.")
    check_page(page, "sp-journey-amara")
    _phone(phone_page, page.url, "sp-journey-amara-phone")
    page.get_by_role("button", name="Complete credentials required").click()
    expect(page.get_by_text("Credentials required completed: Amara Okafor moved to reviewed")).to_be_visible()
    page.get_by_role("link", name="Staff passports reviewed").click()
    check_page(page, "sp-journey-reviewed")

    # Her DBS check as a verifiable credential, checked by someone logged out.
    page.get_by_role("link", name="Amara Okafor").click()
    page.get_by_role("link", name="DBS enhanced check with barred lists").click()
    check_page(page, "sp-journey-credential")
    page.get_by_role("link", name="Download as a digital credential").click()
    expect(page.get_by_role("link", name="DBS enhanced check with barred lists of Amara Okafor")).to_be_visible()
    check_page(page, "sp-journey-vc")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download verifiable credential").click()
    token = Path(download_info.value.path()).read_text()
    visitor = new_context(viewport=DESKTOP).new_page()
    visitor.goto(f"{demo.url}/verify/")
    visitor.get_by_label("Digital credential").fill(token)
    visitor.get_by_role("button", name="Check digital credential").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Valid credential")
    for fact in ("Amara Okafor", "DBS enhanced check with barred lists", TRUST_NAME):
        expect(visitor.locator("main")).to_contain_text(fact)
    check_page(visitor, "sp-journey-verified")
    phone_visitor = new_context(**PHONE).new_page()
    phone_visitor.goto(f"{demo.url}/verify/")
    phone_visitor.get_by_label("Digital credential").fill(token)
    phone_visitor.get_by_role("button", name="Check digital credential").click()
    expect(phone_visitor.get_by_role("heading", level=1)).to_have_text("Valid credential")
    assert phone_visitor.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_page(phone_visitor, "sp-journey-verified-phone")

    # Monday: the HR team's weekly summary counts what still waits: Priya's DBS check, Amara's
    # NMC registration expiring, and Priya (a temporary mover) without her required credentials.
    # Tom has every credential he needs: he waits for a review, not for HR.
    weekly_summaries_send_task()
    email = OutboundEmail.objects.get(template="staffpassport/emails/team_summary", to=[HR_EMAIL])
    for line in (
        f"at {TRUST_NAME} this week",
        "1 credential waiting for manual issue",
        "1 credential expiring in the next 30 days",
        "1 staff member whose required credentials are incomplete",
        "1 is a new starter among them",
    ):
        assert line in email.text_body, email.text_body
    weekly_summaries_send_task()  # a second run this week sends nothing more
    assert OutboundEmail.objects.filter(template="staffpassport/emails/team_summary", to=[HR_EMAIL]).count() == 1
