"""Issue 12 finding 3 without a worker: what the sweep and cancel do with uploads a dead
worker left (tests/test_worker_faults.py kills a real one)."""

import datetime
import io
import os

import pytest
from django.utils import timezone

from centres.bulk import uploads as bulk_uploads
from centres.models import BulkUpload, Membership
from centres.tests.test_bulk_import import row, workbook
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def upload(tmp_path):
    centre = CentreFactory()
    upload = BulkUpload.objects.create(
        centre=centre, uploaded_by=MembershipFactory(centre=centre).user, file_name="d.xlsx"
    )
    content = workbook(tmp_path / "d.xlsx", [row(EmailAddress="ada@trust.nhs.example")]).read_bytes()
    upload.file.save("d.xlsx", io.BytesIO(content))
    return upload


def _left_by_a_dead_worker(upload, status, attempts):
    BulkUpload.objects.filter(pk=upload.pk).update(status=status, attempts=attempts, heartbeat_at=LONG_AGO)


def test_a_save_whose_worker_died_can_be_cancelled_and_is_not_saved_later(upload, monkeypatch):
    _left_by_a_dead_worker(upload, "committing", 1)
    path = upload.file.path
    bulk_uploads.bulk_upload_cancel(upload=upload)
    upload.refresh_from_db()
    assert (upload.status, bool(upload.file), os.path.exists(path)) == ("cancelled", False, False)
    bulk_uploads.bulk_upload_commit(upload_id=upload.pk)  # the redelivered message
    assert _status(upload) == "cancelled"
    assert not Membership.objects.filter(user__email="ada@trust.nhs.example").exists()


def _status(upload):
    return BulkUpload.objects.get(pk=upload.pk).status


@pytest.mark.parametrize(
    ("status", "ending", "message"),
    [
        ("validating", "rejected", "The file could not be checked: the work stopped part way 3 times"),
        ("committing", "failed", "The delegates could not be saved: the work stopped part way 3 times"),
    ],
)
def test_after_the_last_attempt_the_sweep_gives_up_with_a_message_and_deletes_the_file(upload, status, ending, message):
    _left_by_a_dead_worker(upload, status, 3)
    path = upload.file.path
    assert bulk_uploads.bulk_uploads_sweep()["failed"] == 1
    upload.refresh_from_db()
    assert upload.status == ending
    assert upload.message.startswith(message)
    # A save that stopped keeps its file (it was fine) for "Try again"; a check that stopped does not.
    kept = ending == "failed"
    assert (bool(upload.file), os.path.exists(path)) == (kept, kept)


def test_a_failed_save_whose_file_was_fine_is_tried_again_and_saved(upload, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    _left_by_a_dead_worker(upload, "committing", 1)
    assert bulk_uploads.bulk_uploads_sweep()["failed"] == 1
    upload.refresh_from_db()
    bulk_uploads.WORKFLOW.retry(job=upload, confirmed_by=upload.uploaded_by)  # small: saved in the request
    upload.refresh_from_db()
    assert (upload.status, upload.new, upload.message, bool(upload.file)) == ("committed", 1, "", False)
    assert Membership.objects.filter(user__email="ada@trust.nhs.example").count() == 1
    with pytest.raises(bulk_uploads.BulkUploadError, match="cannot be tried again"):
        bulk_uploads.WORKFLOW.retry(job=upload, confirmed_by=upload.uploaded_by)


def test_a_redelivered_message_after_the_last_attempt_gives_up_too(upload):
    _left_by_a_dead_worker(upload, "validating", 3)
    bulk_uploads.bulk_upload_validate(upload_id=upload.pk)
    assert _status(upload) == "rejected"


def test_a_fresh_job_is_left_alone_and_a_stale_one_sent_again(upload, monkeypatch, settings):
    sent = []
    monkeypatch.setattr("centres.tasks.bulk_upload_validate_task.delay", lambda pk: sent.append(pk))
    BulkUpload.objects.filter(pk=upload.pk).update(heartbeat_at=timezone.now())
    assert bulk_uploads.bulk_uploads_sweep()["resent"] == 0
    BulkUpload.objects.filter(pk=upload.pk).update(heartbeat_at=LONG_AGO)
    assert bulk_uploads.bulk_uploads_sweep()["resent"] == 1
    assert sent == [upload.pk]
    assert BulkUpload.objects.get(pk=upload.pk).heartbeat_at > LONG_AGO  # not sent again at once


def test_a_failed_saves_file_is_kept_for_try_again_until_it_expires(upload):
    BulkUpload.objects.filter(pk=upload.pk).update(status="failed")
    path = upload.file.path
    assert bulk_uploads.bulk_uploads_sweep()["files"] == 0
    assert os.path.exists(path)
    BulkUpload.objects.filter(pk=upload.pk).update(created_at=LONG_AGO - datetime.timedelta(days=7))
    assert bulk_uploads.bulk_uploads_expire() == 1
    assert (_status(upload), os.path.exists(path)) == ("failed", False)


@pytest.mark.parametrize("status", ["committed", "cancelled", "rejected"])
def test_the_sweep_deletes_a_workbook_left_on_a_finished_upload(upload, status):
    BulkUpload.objects.filter(pk=upload.pk).update(status=status)
    path = upload.file.path
    assert bulk_uploads.bulk_uploads_sweep()["files"] == 1
    assert not os.path.exists(path)
    assert not BulkUpload.objects.get(pk=upload.pk).file


def test_an_upload_stuck_from_before_heartbeats_is_swept_too(upload, monkeypatch):
    """Uploads left 'committing' by a dead worker before this release have no heartbeat."""
    sent = []
    monkeypatch.setattr("centres.tasks.bulk_upload_commit_task.delay", lambda pk: sent.append(pk))
    BulkUpload.objects.filter(pk=upload.pk).update(status="committing", heartbeat_at=None, created_at=LONG_AGO)
    assert bulk_uploads.bulk_uploads_sweep()["resent"] == 1
    assert sent == [upload.pk]
