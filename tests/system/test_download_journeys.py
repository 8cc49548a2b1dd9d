"""Issue 11, finding 3 in a real browser (ADR 0017), on the demo Staffordshire and Stoke-on-Trent
DSR: Lucy (DSR administrator) filters the register's audit trail and presses "Download these
events (Excel)", a POST button; the report page offers the file, sent with no-store like every
page she sees. Her administrator role is then removed: the same report page and download answer
404, and the refusal is in the audit trail.
Screenshots: test-results/screens/download-*.png.
"""

import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from centres.models import AuditEvent, RoleAssignment
from centres.roles import Role
from centres.services.roles import object_permissions_sync
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _no_store(headers: dict) -> bool:
    return "no-store" in headers.get("cache-control", "")


def test_audit_export_is_a_button_and_the_file_goes_with_the_role(page: Page, demo: Demo):
    log_in(page, demo.url, demo.dsr_admin, demo.password)
    menu_link(page, "Support register").click()
    audit_page = page.goto(f"{demo.url}/dsr/administration/audit/?action=register.login")
    assert _no_store(audit_page.headers)
    check_page(page, "download-audit-page")

    page.get_by_role("button", name="Download these events (Excel)").click()
    expect(page.get_by_text(re.compile(r"Your spreadsheet is ready: \d+ rows?\."))).to_be_visible()
    check_page(page, "download-audit-export-ready")
    job_url = page.url
    download_link = page.get_by_role("button", name=re.compile("^Download register-audit-"))
    download_url = demo.url + download_link.get_attribute("href")
    with page.expect_download() as download:
        download_link.click()
    with open(download.value.path(), "rb") as file:
        rows = list(load_workbook(file, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("When", "Who", "Email", "What")
    served = page.request.get(download_url)  # the same browser session
    assert served.status == 200
    assert _no_store(served.headers)
    assert served.headers["content-disposition"].startswith("attachment")

    # Her administrator role is removed (as role_revoke does); she is still a referrer at MPFT.
    lucy = RoleAssignment.objects.get(user__email=demo.dsr_admin, role=Role.DSR_ADMIN, revoked_at__isnull=True)
    RoleAssignment.objects.filter(pk=lucy.pk).update(revoked_at=timezone.now())
    object_permissions_sync(user=lucy.user, centre=lucy.centre)

    refused = page.goto(download_url)
    assert refused.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("not found", re.IGNORECASE))
    check_page(page, "download-refused")
    assert page.goto(job_url).status == 404
    assert AuditEvent.objects.filter(actor=lucy.user, action="register.report_download_refused").exists()
    assert AuditEvent.objects.filter(actor=lucy.user, action="register.report_downloaded").count() == 2
