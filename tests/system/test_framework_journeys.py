"""P1 in a real browser: platform staff upload a framework spreadsheet with a mistake, read
the problem, upload the corrected file and publish it. Every page is screenshotted and
checked with axe-core; the frameworks list is also checked at phone width."""

import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from passports.models import FrameworkVersion
from passports.services.framework_rows import COLUMNS
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet(rows) -> dict:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Proficiencies"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return {"name": "blood-glucose.xlsx", "mimeType": XLSX, "buffer": stream.getvalue()}


ROWS = [
    ["Preparation", "Completed point-of-care testing eLearning", "<p>Passed the assessment.</p>", False, False],
    ["Testing", "Checking a blood glucose meter", "<p>Runs the daily quality control check.</p>", False, False],
    ["Testing", "Taking a capillary blood sample", "<p>Uses a single-use lancet.</p>", False, "TRUE"],
]


def test_platform_staff_upload_fix_and_publish_a_framework(page: Page, phone_page: Page, demo: Demo):
    log_in(page, demo.url, demo.platform_staff, demo.password)
    menu_link(page, "Frameworks").click()
    expect(page).to_have_url(f"{demo.url}/platform/frameworks/")
    expect(page.get_by_role("table").filter(has_text="Step 1 proficiencies")).to_contain_text("Published")
    check_page(page, "frameworks-list")

    page.get_by_role("button", name="Upload a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a framework spreadsheet")
    check_page(page, "frameworks-upload")
    page.get_by_label("Name of the new framework").fill("Blood Glucose Monitoring")
    broken = [*ROWS, ["Testing", "Recording and escalating results", "", "perhaps", False]]
    page.locator("#id_file").set_input_files(spreadsheet(broken))
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Error: Upload a framework spreadsheet"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The file has 1 problem. Nothing has been saved")
    expect(page.locator("#problems")).to_contain_text("Row 5: Optional must be TRUE or FALSE, not “perhaps”")
    check_page(page, "frameworks-upload-errors")
    assert not FrameworkVersion.objects.filter(framework__name="Blood Glucose Monitoring").exists()

    fixed = [*ROWS, ["Testing", "Recording and escalating results", "", True, False]]
    page.get_by_label("Name of the new framework").fill("Blood Glucose Monitoring")
    page.locator("#id_file").set_input_files(spreadsheet(fixed))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Version 1 of Blood Glucose Monitoring is saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 1")
    expect(page.get_by_text("Recording and escalating results")).to_be_visible()
    check_page(page, "frameworks-draft")

    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 1?")
    check_page(page, "frameworks-publish-confirm")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 of Blood Glucose Monitoring is published.")).to_be_visible()
    expect(page.get_by_role("button", name="Start a new draft")).to_be_visible()
    check_page(page, "frameworks-published")
    version = FrameworkVersion.objects.get(framework__name="Blood Glucose Monitoring")
    assert version.status == FrameworkVersion.Status.PUBLISHED
    assert version.proficiencies.filter(is_optional=True).count() == 1

    log_in(phone_page, demo.url, demo.platform_staff, demo.password)
    phone_page.goto(f"{demo.url}/platform/frameworks/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Frameworks")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_page(phone_page, "frameworks-list-phone")
