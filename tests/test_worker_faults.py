"""Issue 12 finding 3: a worker that dies. A REAL worker (tests/celery_worker.py) is killed
with SIGKILL in the middle of a job (each progress heartbeat pauses it for
JOB_PROGRESS_DELAY_SECONDS, so "the middle" is deterministic); then a worker is started again
and the beat sweep runs. The job must finish exactly once, or fail with a message and a
"Try again", and leave no file behind. Before: the upload stayed "committing" and the
report "running" for ever, with the workbook on disk."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse

from centres.bulk.uploads import SAVING_NOW, bulk_uploads_sweep
from centres.models import AuditEvent, BulkUpload, Membership
from centres.roles import Role
from centres.tests.test_bulk_import import row, workbook
from centres.tests.test_bulk_pages import upload_file
from reporting.models import ReportJob
from reporting.services import report_jobs_sweep
from tests.celery_worker import _celery_publishes_to
from tests.factories import CentreFactory, MembershipFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 400  # above INLINE_MAX_ROWS: the save goes to the worker
PAUSE = "3"  # seconds the worker pauses after each progress heartbeat
DEAD_BROKER = "redis://127.0.0.1:6396/0"  # nothing listens here


@pytest.fixture
def slow_jobs(monkeypatch):
    """Requested before `worker`, so the worker starts with the pause."""
    monkeypatch.setenv("JOB_PROGRESS_DELAY_SECONDS", PAUSE)


@pytest.fixture
def admin_client(login_as):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = login_as(admin.user, centre)
    client.centre = centre
    return client


def _fresh(model, pk):
    return model.objects.get(pk=pk)


def _row_locked(upload: BulkUpload) -> bool:
    """Whether a transaction (the commit) holds the upload's row lock."""
    try:
        with transaction.atomic():
            BulkUpload.objects.select_for_update(nowait=True).filter(pk=upload.pk).first()
    except OperationalError:
        return True
    return False


def test_a_worker_killed_while_saving_a_bulk_upload_saves_nothing_then_the_sweep_saves_it_once(
    slow_jobs, worker, tmp_path, admin_client, settings
):
    settings.JOB_STALE_AFTER_SECONDS = 1
    centre = admin_client.centre
    people = [
        row(FirstName=f"Ada{n}", LastName=f"Okafor{n}", EmailAddress=f"ada{n}@trust.nhs.example") for n in range(ROWS)
    ]
    path = workbook(tmp_path / "big.xlsx", people)
    response = upload_file(admin_client, SimpleUploadedFile("big.xlsx", path.read_bytes()))
    upload = BulkUpload.objects.get()
    worker.wait_for("the preview", lambda: _fresh(BulkUpload, upload.pk).status == "preview")
    stored = _fresh(BulkUpload, upload.pk).file.path
    admin_client.post(
        reverse("centres:delegates_bulk_confirm", kwargs={"upload_id": upload.public_id}), {"welcome": "now"}
    )

    worker.wait_for("the commit to hold its transaction", lambda: _row_locked(upload))
    # Cancel while it is saving: refused clearly, not left waiting or half done.
    page = admin_client.post(
        reverse("centres:delegates_bulk_cancel", kwargs={"upload_id": upload.public_id}), follow=True
    )
    assert SAVING_NOW in page.content.decode()

    worker.kill()
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == ("committing", 1)
    assert not Membership.objects.for_centre(centre).filter(user__email__startswith="ada").exists()  # rolled back
    assert "Saving the delegates" in admin_client.get(response["Location"]).content.decode()

    worker.start_again()
    time.sleep(1.1)  # no heartbeat for JOB_STALE_AFTER_SECONDS
    worker.wait_for("the sweep to send it again", lambda: bulk_uploads_sweep()["resent"])
    worker.wait_for(
        "the save to finish", lambda: (u := _fresh(BulkUpload, upload.pk)).status == "committed" and not u.file
    )
    upload.refresh_from_db()
    assert (upload.attempts, upload.new) == (2, ROWS)
    assert Membership.objects.for_centre(centre).filter(user__email__startswith="ada").count() == ROWS
    assert AuditEvent.objects.for_centre(centre).filter(action="delegates.bulk_uploaded").count() == 1
    assert not os.path.exists(stored)  # the workbook with personal data is gone
    assert "Delegates saved" in admin_client.get(response["Location"]).content.decode()


def test_a_report_whose_worker_dies_is_queued_again_then_failed_visibly_and_tried_again(
    slow_jobs, worker, admin_client, settings
):
    settings.JOB_STALE_AFTER_SECONDS = 1
    settings.JOB_MAX_ATTEMPTS = 2
    MembershipFactory.create_batch(3, centre=admin_client.centre)
    started = admin_client.post(reverse("centres:delegates_bulk_current"))
    job = ReportJob.objects.get()
    assert started["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})

    def running(attempt: int):
        return lambda: (j := _fresh(ReportJob, job.pk)).status == "running" and j.attempts == attempt

    # First death: the sweep queues it again.
    worker.wait_for("the report to start", running(1))
    worker.kill()
    assert _fresh(ReportJob, job.pk).status == "running"
    worker.start_again()
    time.sleep(1.1)
    assert report_jobs_sweep()["requeued"] == 1
    # Second death: JOB_MAX_ATTEMPTS reached, so the sweep fails it with a message.
    worker.wait_for("the report to start again", running(2))
    worker.kill()
    time.sleep(1.1)
    assert report_jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    assert "worker stopped" in job.error
    page = admin_client.get(started["Location"]).content.decode()
    assert "could not be built: the work stopped part way 2 times" in page
    assert "Try again" in page

    worker.start_again()
    admin_client.post(reverse("reporting:retry", kwargs={"job_id": job.public_id}))
    worker.wait_for("the report to be built", lambda: _fresh(ReportJob, job.pk).status == "done", timeout=60)
    job.refresh_from_db()
    assert os.path.exists(job.file.path)
    download = admin_client.get(reverse("reporting:download", kwargs={"job_id": job.public_id}))
    assert download.status_code == 200


def test_a_report_asked_for_while_the_broker_is_down_is_sent_by_the_sweep(worker, admin_client, settings):
    settings.JOB_STALE_AFTER_SECONDS = 1
    # The request and the sweep share this process here (in production the sweep runs in the
    # worker): no back-off after the failed dispatch, so the sweep tries the broker at once.
    settings.BROKER_DOWN_BACKOFF_SECONDS = 0
    with _celery_publishes_to(DEAD_BROKER):
        started = admin_client.post(reverse("centres:delegates_bulk_current"))
    assert started.status_code == 302
    job = ReportJob.objects.get()
    time.sleep(1.5)
    assert _fresh(ReportJob, job.pk).status == "queued"  # its message never reached Redis
    assert report_jobs_sweep()["resent"] == 1
    worker.wait_for("the report to be built", lambda: _fresh(ReportJob, job.pk).status == "done")
