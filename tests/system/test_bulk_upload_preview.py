"""Issue 16 item 6: the bulk upload preview lists who is new and what changes for each updated
delegate, each error row names the person, the results page lists who was added and updated,
and "Recent uploads" shows each upload's true status. Each page at desktop and phone width
gets axe and a screenshot (test-results/screens/bulk-preview-*)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from centres.bulk.columns import COLUMNS
from centres.bulk.reading import read_workbook
from centres.bulk.validation import validate
from centres.models import BulkUpload, Centre, Membership
from centres.tests.test_bulk_import import workbook
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _values(**values) -> dict[str, str]:
    return dict.fromkeys(COLUMNS, "") | {"Active": "TRUE", "JobGroupID": "1"} | values


def _checked(tmp_path, centre: Centre, uploaded_by, name: str, rows: list[dict]) -> BulkUpload:
    """An upload as the worker's check leaves it: its file, and the stored summary of the real
    read and validation of it."""
    path = workbook(tmp_path / name, rows)
    summary = validate(centre=centre, rows=read_workbook(path), uploaded_by=uploaded_by).summary()
    upload = BulkUpload.objects.create(
        centre=centre, uploaded_by=uploaded_by, file_name=name, status="preview", **summary
    )
    upload.file.save(f"{upload.public_id}.xlsx", io.BytesIO(path.read_bytes()))
    return upload


def _url(upload: BulkUpload) -> str:
    return reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id})


def test_preview_errors_results_and_recent_uploads(page: Page, phone_page: Page, demo: Demo, tmp_path):
    centre = Centre.objects.get(code="LTHT")
    manager = get_user_model().objects.get(email=demo.centre_manager)
    delegate = (
        Membership.objects.for_centre(centre)
        .select_related("user")
        .exclude(user=manager)
        .filter(is_active=True)
        .first()
    )
    user = delegate.user
    new_job_group = "2" if delegate.job_group_id != 2 else "4"
    update = _values(
        FirstName=user.first_name,
        LastName=user.last_name,
        DelegateID=delegate.delegate_number,
        EmailAddress=user.email,
        JobGroupID=new_job_group,
        AliasID=delegate.alias_id,
        **{f"Answer{n}": getattr(delegate, f"answer{n}") or "" for n in range(1, 7)},
        HasPRN={True: "TRUE", False: "FALSE"}.get(delegate.has_prn, ""),
        PRN=delegate.prn,
    )
    answers = {f"Answer{n}": update[f"Answer{n}"] for n in range(1, 7)}  # the centre's prompts answered
    new = _values(FirstName="Priya", LastName="Newcomer", EmailAddress="priya.newcomer@trust.nhs.example", **answers)
    preview = _checked(tmp_path, centre, manager, "ready.xlsx", [new, update])
    assert preview.error_rows == 0, preview.errors
    broken = _checked(
        tmp_path,
        centre,
        manager,
        "broken.xlsx",
        [_values(FirstName="Bea", LastName="Cole", EmailAddress="not-an-email")],
    )

    for browser, suffix in ((page, ""), (phone_page, "-phone")):
        log_in(browser, demo.url, demo.centre_manager, demo.password)
        browser.goto(demo.url + _url(preview))
        expect(browser.get_by_role("heading", name="Who will be added or updated")).to_be_visible()
        table = browser.get_by_role("table", name="New delegates and the changes to each delegate")
        expect(table).to_contain_text("Priya Newcomer")
        expect(table).to_contain_text("New delegate")
        expect(table).to_contain_text("Job group: ")
        check_page(browser, f"bulk-preview-changes{suffix}")

        browser.goto(demo.url + _url(broken))
        expect(browser.get_by_role("table", name="Rows with errors")).to_contain_text("Bea Cole")
        check_page(browser, f"bulk-preview-errors{suffix}")

        browser.goto(demo.url + reverse("centres:delegates_bulk"))
        recent = browser.locator(".app-recent-uploads")
        expect(recent).to_contain_text("1 row to correct")
        check_page(browser, f"bulk-preview-recent{suffix}")

    page.goto(demo.url + _url(preview))
    page.get_by_label("Not yet").check()
    page.get_by_role("button", name="Confirm and save 2 delegates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegates saved")
    saved = page.get_by_role("table", name="New delegates and the changes saved")
    expect(saved).to_contain_text("Priya Newcomer")
    expect(saved).to_contain_text("Job group: ")
    check_page(page, "bulk-preview-saved")
    page.goto(demo.url + reverse("centres:delegates_bulk"))
    expect(page.locator(".app-recent-uploads")).to_contain_text("Saved")
    check_page(page, "bulk-preview-recent-saved")
