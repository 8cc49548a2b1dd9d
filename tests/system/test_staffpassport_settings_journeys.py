"""Staff passport settings (issue 15, S1-S6) in a real browser, at desktop and phone width.
Every page visited is screenshotted and checked with axe-core. The settings are changed at a
trust of the tests' own: the demo's LTHT has its own DBS settings and staff passports."""

import pytest
from playwright.sync_api import Page, expect

from staffpassport.models import Credential, CredentialsTemplate, JobRole
from staffpassport.selectors.catalogue import credential_issues_automatically
from tests.system.conftest import Demo, check_page, log_in, menu_link
from tests.system.staffpassport_trust import trust_with_senior_administrator

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"
NURSING = "Nursing and Midwifery Registered"
AUTO_ISSUANCE = "Credential settings \N{EN DASH} automatic issuance"


def _turn_off_dbs(page: Page, name: str) -> None:
    page.get_by_role("link", name=AUTO_ISSUANCE).click()
    expect(page).to_have_title(AUTO_ISSUANCE + TITLE_SUFFIX)
    check_page(page, f"{name}-auto-issuance")
    page.get_by_role(
        "button", name="Turn off automatic issuance for all Disclosure and Barring Service (DBS) credentials"
    ).click()
    expect(page.get_by_text("Your changes are not saved yet")).to_be_visible()
    expect(page.get_by_label("DBS enhanced check", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Fire safety")).to_be_checked()
    check_page(page, f"{name}-auto-issuance-unsaved")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("All settings were saved")
    expect(page.get_by_text("All wait for manual issue")).to_be_visible()


def test_senior_administrator_manages_the_settings(page: Page, demo: Demo):
    trust = trust_with_senior_administrator()
    log_in(page, demo.url, trust.admin_email, trust.password)
    menu_link(page, "Staff passport settings").click()
    expect(page).to_have_title("System management settings" + TITLE_SUFFIX)
    check_page(page, "sp-settings-home")

    # S4: DBS is no longer issued automatically.
    _turn_off_dbs(page, "sp-desktop")
    dbs = Credential.objects.get(code="dbs-enhanced")
    assert credential_issues_automatically(centre=trust.centre, credential=dbs) is False
    page.get_by_role("link", name="Back to system management settings").click()

    # S2: change one contact detail.
    page.get_by_role("link", name="Organisation details").click()
    check_page(page, "sp-organisation")
    page.get_by_role("link", name="Change HR team email address").click()
    page.get_by_label("HR team: email address").fill("workforce@")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: HR team: email address" + TITLE_SUFFIX)
    check_page(page, "sp-contact-error")
    page.get_by_label("HR team: email address").fill("workforce@hdft.nhs.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("changed successfully")
    expect(page.get_by_text("workforce@hdft.nhs.example")).to_be_visible()
    page.get_by_role("link", name="Back to system management settings").click()

    # S3: education and training summaries on (the team's address first).
    page.get_by_role("link", name="Notification settings").click()
    check_page(page, "sp-notifications")
    page.get_by_role("link", name="Change Education and training team email address").click()
    page.get_by_label("Education and training team email address").fill("education@hdft.nhs.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("changed successfully")
    page.get_by_role("link", name="Change Education and training team email notifications").click()
    check_page(page, "sp-team-sending")
    page.get_by_label("Yes, send email notifications").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("turned on")
    page.get_by_role("link", name="Back to system management settings").click()

    # S6 then S5: a job role made on the way to a custom template for nursing new starters.
    page.get_by_role("link", name="Manage job roles").click()
    check_page(page, "sp-job-roles")
    page.get_by_role("link", name=NURSING).click()
    check_page(page, "sp-job-role-group")
    page.get_by_role("button", name="Add a new job role").click()
    page.get_by_label("Job role name").fill("Ward sister")
    page.get_by_label("Create job role and create a credentials required policy").check()
    check_page(page, "sp-job-role-add")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Create a credentials required template" + TITLE_SUFFIX)
    ward_sister = JobRole.objects.for_centre(trust.centre).get(name="Ward sister")
    expect(page.get_by_label("Job role")).to_have_value(str(ward_sister.public_id))
    page.get_by_label("Template name").fill("Ward_sisters")
    page.get_by_label("New starters and temporary movers", exact=True).check()
    page.get_by_label("Every credential in Identity").check()
    page.get_by_label("Every credential in Right to work").check()
    page.get_by_label("DBS enhanced check with barred lists").check()
    page.get_by_label("Nursing and Midwifery Council (NMC) registration").check()
    page.get_by_role("button", name="Create template").click()
    expect(page).to_have_title("Error: Create a credentials required template" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Template name cannot include underscores (_)")
    check_page(page, "sp-template-error")
    page.get_by_label("Template name").fill("Ward sisters - new starters")
    page.get_by_role("button", name="Create template").click()
    expect(page).to_have_title("Credentials required templates" + TITLE_SUFFIX)
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Ward sisters - new starters")
    expect(page.get_by_role("heading", name="Ward sisters - new starters")).to_be_visible()
    check_page(page, "sp-templates")
    template = CredentialsTemplate.objects.for_centre(trust.centre).get(name="Ward sisters - new starters")
    assert template.job_role.name == "Ward sister"
    assert template.employment_types == "new_starter"

    # Which template applies, and why.
    page.get_by_role("button", name="Which template applies to a person").click()
    page.get_by_label("Staff group").select_option(label=NURSING)
    page.get_by_label("New starter or temporary mover").check()
    page.get_by_role("button", name="Show the template").click()
    expect(page.get_by_role("link", name="Nursing and Midwifery Registered - new starters")).to_be_visible()
    expect(page.get_by_text("The trust has no custom template for them")).to_be_visible()
    check_page(page, "sp-which")


def test_senior_administrator_on_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    trust = trust_with_senior_administrator()
    log_in(page, demo.url, trust.admin_email, trust.password)
    page.goto(f"{demo.url}/staff-passport/settings/")
    check_page(page, "sp-phone-home")
    _turn_off_dbs(page, "sp-phone")
    for path, name in [
        ("templates/", "sp-phone-templates"),
        ("templates/new/nursing-midwifery-registered/", "sp-phone-template-form"),
        ("job-roles/", "sp-phone-job-roles"),
        ("notifications/", "sp-phone-notifications"),
        ("organisation/", "sp-phone-organisation"),
    ]:
        page.goto(f"{demo.url}/staff-passport/settings/{path}")
        check_page(page, name)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_other_roles_get_a_403_that_says_who_can_change_the_settings(page: Page, demo: Demo):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    response = page.goto(f"{demo.url}/staff-passport/settings/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot change staff passport settings")).to_be_visible()
    expect(page.get_by_text("Only a senior portal administrator at Leeds Teaching Hospitals NHS Trust")).to_be_visible()
    expect(page.get_by_text("Sarah Bennett")).to_be_visible()
    check_page(page, "sp-403")
