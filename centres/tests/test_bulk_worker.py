"""U5 with a REAL Celery worker (Redis broker, PostgreSQL): a file too big for the request is
checked by the worker, the preview waits for the user, and the confirmed commit is saved by
the worker exactly once. See tests/celery_worker.py for the worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.models import AuditEvent, BulkUpload, Membership
from centres.roles import Role
from centres.tests.test_bulk_import import row, workbook
from centres.tests.test_bulk_pages import upload_file
from tests.factories import CentreFactory, MembershipFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 400  # above INLINE_MAX_BYTES and INLINE_MAX_ROWS: both steps go to the worker


def _status(upload: BulkUpload, wanted: str):
    def reached():
        upload.refresh_from_db()
        # A finished upload's workbook is deleted just after its status is saved.
        return upload.status == wanted and (wanted == "preview" or not upload.file)

    return reached


def test_a_big_upload_is_checked_and_saved_by_the_worker(worker, broker, tmp_path, login_as):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = login_as(admin.user, centre)
    rows = [
        row(FirstName=f"Ada{n}", LastName=f"Okafor{n}", EmailAddress=f"ada{n}@trust.nhs.example") for n in range(ROWS)
    ]
    path = workbook(tmp_path / "big.xlsx", rows)
    response = upload_file(client, SimpleUploadedFile("big.xlsx", path.read_bytes()))
    upload = BulkUpload.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Checking your spreadsheet" in page or upload.status != "validating"

    worker.wait_for("the worker to check the file", _status(upload, "preview"))
    assert (upload.rows, upload.new, upload.errors) == (ROWS, ROWS, [])
    assert not Membership.objects.for_centre(centre).filter(user__email__startswith="ada").exists()

    client.post(reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "now"})
    worker.wait_for("the worker to save the delegates", _status(upload, "committed"))
    assert (upload.new, upload.updated, upload.unchanged) == (ROWS, 0, 0)
    assert not upload.file
    assert Membership.objects.for_centre(centre).filter(user__email__startswith="ada").count() == ROWS
    assert AuditEvent.objects.for_centre(centre).filter(action="delegates.bulk_uploaded").count() == 1
    results = client.get(response["Location"]).content.decode()
    assert "Delegates saved" in results
