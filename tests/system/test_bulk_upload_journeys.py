"""U1/U2/U4 in a real browser: a centre manager downloads the current delegates, edits the
workbook (openpyxl here, as they would in Excel), uploads it with a mistake, sees the
preview with the error, corrects it, confirms and sees the results."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from centres.bulk.columns import DELEGATES_SHEET
from centres.models import AuditEvent, Centre, Membership
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _edit(path, *, new_email: str) -> None:
    book = load_workbook(path)
    sheet = book[DELEGATES_SHEET]
    header = [cell.value for cell in sheet[1]]
    column = {name: index for index, name in enumerate(header)}
    first = sheet[2]
    first[column["AliasID"]].value = "STAFF-0042"  # an update to an existing delegate
    # A valid answer to the centre's first prompt: the first delegate's who gave one.
    answer = next(row[column["Answer1"]].value for row in sheet.iter_rows(min_row=2) if row[column["Answer1"]].value)
    new = [None] * len(header)
    for name, value in {
        "LastName": "Achterberg",
        "FirstName": "Nia",
        "JobGroupID": 3,
        "Answer1": answer,
        "Active": True,
        "EmailAddress": new_email,
        "HasPRN": False,
    }.items():
        new[column[name]] = value
    sheet.append(new)
    book.save(path)


def test_centre_manager_updates_delegates_from_the_spreadsheet(page: Page, demo: Demo, tmp_path):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    menu_link(page, "Delegates").click()
    page.get_by_role("link", name="Add or update many delegates from a spreadsheet (bulk upload)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk upload delegates")
    check_page(page, "bulk-upload-page")

    # The workbook is built by the worker (eager here); its page then offers the download.
    page.get_by_role("button", name="Download the current delegates (Excel)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Current delegates spreadsheet")
    check_page(page, "current-delegates-job")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Download .*-delegates-.*\.xlsx$")).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    page.get_by_role("link", name="Back to bulk upload delegates").click()

    # First with a mistake: an email with a space in it.
    _edit(path, new_email="nia achterberg@ltht.nhs.example")
    page.get_by_label("Upload your spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    expect(page.get_by_role("table")).to_contain_text("EmailAddress must not contain spaces")
    expect(page.get_by_role("button", name="Confirm and save")).to_have_count(0)
    check_page(page, "bulk-upload-preview-errors")

    _edit(path, new_email="nia.achterberg@ltht.nhs.example")  # the row is added again, corrected
    book = load_workbook(path)
    sheet = book[DELEGATES_SHEET]
    sheet.delete_rows(sheet.max_row - 1)  # drop the row with the mistake
    book.save(path)
    page.get_by_label("Upload the corrected spreadsheet").set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before you save them")
    summary = page.locator(".nhsuk-summary-list")
    expect(summary).to_contain_text(re.compile(r"New delegates\s+1\b"))
    expect(summary).to_contain_text(re.compile(r"Delegates to update\s+1\b"))
    expect(summary).to_contain_text(re.compile(r"Rows with errors\s+0\b"))
    check_page(page, "bulk-upload-preview")

    # No silent default, and the date is asked for only for "On a date" (issue 16 item 6).
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.get_by_role("group", name="Date to send the welcome emails")).to_be_hidden()
    page.get_by_label("On a date").check()
    expect(page.get_by_role("group", name="Date to send the welcome emails")).to_be_visible()
    page.get_by_label("Now").check()
    expect(page.get_by_role("group", name="Date to send the welcome emails")).to_be_hidden()
    page.get_by_role("button", name="Confirm and save 2 delegates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegates saved")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Sent to the new delegates")
    check_page(page, "bulk-upload-results")

    centre = Centre.objects.get(code="LTHT")
    assert Membership.objects.for_centre(centre).filter(user__email="nia.achterberg@ltht.nhs.example").exists()
    assert Membership.objects.for_centre(centre).filter(alias_id="STAFF-0042").count() == 1
    assert AuditEvent.objects.for_centre(centre).filter(action="delegates.bulk_uploaded").count() == 1


def test_bulk_upload_errors_on_a_phone(phone_page: Page, demo: Demo, tmp_path):
    page = phone_page
    log_in(page, demo.url, demo.administrator, demo.password)
    page.goto(f"{demo.url}/centre/delegates/bulk/")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the Excel workbook (.xlsx) to upload")
    check_page(page, "bulk-upload-no-file-phone")
    bad = tmp_path / "delegates.xlsx"
    bad.write_bytes(b"this is not a spreadsheet")
    page.get_by_label("Upload your spreadsheet").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    # A file that is not a workbook is refused at upload, before it is stored (the zip check
    # of issue 12 finding 4), with the reason on the upload form itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk upload delegates")
    expect(page.get_by_role("alert")).to_contain_text("The file is not an Excel workbook (.xlsx), or it is damaged")
    check_page(page, "bulk-upload-rejected-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
