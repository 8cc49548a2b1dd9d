"""Issue 16 item 6 (part): a bulk upload whose save failed while the file was fine (here: the
worker stopped part way JOB_MAX_ATTEMPTS times) offers "Try again", not "upload the corrected
spreadsheet"; trying again saves it. The page at desktop and phone width gets axe and a
screenshot. The same page template serves the ESR import (ADR 0042)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from centres.bulk.download import delegates_workbook
from centres.models import BulkUpload, Centre
from reporting.upload_workflow import upload_jobs_sweep
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _failed_upload(centre: Centre, uploaded_by) -> BulkUpload:
    """The centre's current delegates (a fine file), left saving by a worker that died for good."""
    upload = BulkUpload.objects.create(centre=centre, uploaded_by=uploaded_by, file_name="delegates.xlsx")
    upload.file.save(f"{upload.public_id}.xlsx", io.BytesIO(delegates_workbook(centre=centre, include_delegates=True)))
    BulkUpload.objects.filter(pk=upload.pk).update(status="committing", attempts=3, heartbeat_at=None)
    return upload


def test_a_failed_save_offers_try_again_and_saves(page: Page, phone_page: Page, demo: Demo, settings):
    settings.JOB_STALE_AFTER_SECONDS = 0
    centre = Centre.objects.get(code="LTHT")
    manager = get_user_model().objects.get(email=demo.centre_manager)
    upload, on_phone = _failed_upload(centre, manager), _failed_upload(centre, manager)
    assert upload_jobs_sweep()["failed"] == 2

    log_in(page, demo.url, demo.centre_manager, demo.password)
    page.goto(demo.url + reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id}))
    expect(page.get_by_role("heading", level=1)).to_have_text("The delegates were not saved")
    expect(page.get_by_text("the work stopped part way 3 times")).to_be_visible()
    expect(page.get_by_label("Upload the corrected spreadsheet")).to_have_count(0)
    check_page(page, "bulk-upload-failed-try-again")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegates saved")
    check_page(page, "bulk-upload-saved-after-try-again")
    upload.refresh_from_db()
    assert (upload.status, bool(upload.file)) == ("committed", False)

    log_in(phone_page, demo.url, demo.centre_manager, demo.password)
    phone_page.goto(demo.url + reverse("centres:delegates_bulk_upload", kwargs={"upload_id": on_phone.public_id}))
    expect(phone_page.get_by_role("button", name="Try again")).to_be_visible()
    check_page(phone_page, "bulk-upload-failed-try-again-phone")
