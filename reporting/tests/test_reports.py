"""X3 report jobs: built by a worker with progress, downloaded only by the person who asked."""

import io
import os

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from centres.models import AuditEvent, Membership
from centres.roles import Role
from reporting.models import ReportJob
from reporting.registry import permissions_suffice, report_kind_register
from reporting.services import report_job_create, report_job_run
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db
ACCESS = {"permissions": ["centres.manage_delegates"]}


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def admin(centre):
    return MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)


def job_page(job):
    return reverse("reporting:job", kwargs={"job_id": job.public_id})


def download(job):
    return reverse("reporting:download", kwargs={"job_id": job.public_id})


def test_delegate_export_is_built_after_commit_and_downloaded(
    client, login_as, centre, admin, django_capture_on_commit_callbacks
):
    MembershipFactory.create_batch(3, centre=centre)
    login_as(admin.user, centre)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("centres:delegate_export"))
    job = ReportJob.objects.get()
    assert response["Location"] == job_page(job)
    job.refresh_from_db()
    expected = Membership.objects.for_centre(centre).count()
    assert (job.status, job.progress, job.rows) == (ReportJob.Status.DONE, 100, expected)
    page = client.get(job_page(job)).content.decode()
    assert f"Your spreadsheet is ready: {expected} rows." in page
    file_response = client.get(download(job))
    workbook = load_workbook(io.BytesIO(b"".join(file_response.streaming_content)))
    assert workbook.active.max_row == expected + 1
    assert f'filename="{job.filename}"' in file_response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="delegates.exported", actor=admin.user).exists()


def test_progress_page_polls_until_done_and_works_without_javascript(client, login_as, centre, admin):
    login_as(admin.user, centre)
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="delegates",
        title="Delegates",
        params={},
        filename="d.xlsx",
        access=ACCESS,
    )
    page = client.get(job_page(job)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    # The shared progress component (issue 16 item 5): a full-width bar and its percentage
    # in a live region that stays while the block inside it is polled, and a refresh link.
    assert "<progress" not in page
    assert '<div class="app-job-status" role="status" id="report-progress">' in page
    assert "Waiting to start: <strong>0%</strong> done" in page
    assert "app-progress__bar app-progress__bar--assessed app-width-0" in page
    assert "Refresh this page</a>" in page
    assert "js/job-progress.js" in page
    partial = client.get(job_page(job), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="report-status"')
    assert 'role="status"' not in partial  # the poll answers the inside of the live region only
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=45)
    partial = client.get(job_page(job), HTTP_HX_REQUEST="true").content.decode()
    assert "Being built: <strong>45%</strong> done" in partial
    assert "app-width-45" in partial
    assert client.get(download(job)).status_code == 409  # not ready yet


def test_only_the_requester_at_their_centre_may_see_the_report(client, login_as, centre, admin):
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="delegates",
        title="Delegates",
        params={},
        filename="d.xlsx",
        access=ACCESS,
    )
    report_job_run(job_id=job.pk)
    colleague = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(colleague.user, centre)
    assert client.get(job_page(job)).status_code == 404
    assert client.get(download(job)).status_code == 404
    outsider = MembershipFactory(role=Role.ADMINISTRATOR)
    login_as(outsider.user, outsider.centre)
    assert client.get(download(job)).status_code == 404


def test_a_failing_builder_marks_the_job_failed_and_running_twice_is_harmless(client, login_as, centre, admin):
    def broken(job, stream, progress):
        raise ValueError("disk full")

    report_kind_register("test-broken", broken, may_download=permissions_suffice)
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="test-broken",
        title="Broken",
        params={},
        filename="b.xlsx",
        access=ACCESS,
    )
    failed = report_job_run(job_id=job.pk)
    assert failed.status == ReportJob.Status.FAILED
    assert "disk full" in failed.error
    assert report_job_run(job_id=job.pk) is None  # only a queued job starts
    login_as(admin.user, centre)
    assert "could not be built" in client.get(job_page(job)).content.decode()


def test_progress_is_reported_while_rows_are_written(centre, admin):
    seen = []

    def slow(job, stream, progress):
        for done in range(1, 101):
            progress(done, 100)
            seen.append(ReportJob.objects.get(pk=job.pk).progress)
        return 100

    report_kind_register("test-slow", slow, may_download=permissions_suffice)
    job = report_job_create(
        centre=centre,
        requested_by=admin.user,
        kind="test-slow",
        title="Slow",
        params={},
        filename="s.xlsx",
        access=ACCESS,
    )
    report_job_run(job_id=job.pk)
    assert 0 < max(seen) < 100
    assert seen == sorted(seen)


def test_unknown_report_kind_is_refused_in_the_request(centre, admin):
    with pytest.raises(KeyError):
        report_job_create(
            centre=centre, requested_by=admin.user, kind="nope", title="x", params={}, filename="x", access=ACCESS
        )
    assert not ReportJob.objects.exists()


def test_report_files_are_deleted_a_week_after_they_were_built(
    client, login_as, centre, admin, django_capture_on_commit_callbacks
):
    import os
    from datetime import timedelta

    from django.utils import timezone

    from reporting.services import report_files_expire

    login_as(admin.user, centre)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("centres:delegate_export"))
        client.post(reverse("centres:delegate_export"))
    old, recent = ReportJob.objects.order_by("pk")
    old.refresh_from_db()
    path = old.file.path
    ReportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))

    assert report_files_expire() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, bool(old.file), os.path.exists(path)) == (ReportJob.Status.EXPIRED, False, False)
    assert recent.status == ReportJob.Status.DONE
    assert "was deleted 7 days after it was built" in client.get(job_page(old)).content.decode()
    assert client.get(download(old)).status_code == 409


def test_a_file_left_by_a_worker_that_died_while_writing_is_deleted(centre, admin, settings):
    """The file's name is recorded before it is written, so the sweep can find it."""
    from django.core.files.base import ContentFile

    from reporting.services import report_jobs_sweep

    settings.JOB_MAX_ATTEMPTS = 1
    job = ReportJob.objects.create(
        centre=centre, requested_by=admin.user, kind="delegates", title="t", filename="d.xlsx", status="running"
    )
    job.file.save("d.xlsx", ContentFile(b"half a workbook"), save=True)
    path = job.file.path
    ReportJob.objects.filter(pk=job.pk).update(attempts=1, heartbeat_at="2000-01-01T00:00Z")
    assert report_jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("failed", "")
    assert not os.path.exists(path)


def test_a_queued_job_whose_message_was_lost_is_sent_again(centre, admin, monkeypatch):
    from reporting.services import report_jobs_sweep

    sent = []
    monkeypatch.setattr("reporting.tasks.report_job_task.delay", lambda pk: sent.append(pk))
    job = ReportJob.objects.create(
        centre=centre, requested_by=admin.user, kind="delegates", title="t", filename="d.xlsx"
    )
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at="2000-01-01T00:00Z")
    assert report_jobs_sweep()["resent"] == 1
    assert sent == [job.pk]
