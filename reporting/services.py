"""Create a report job (or an action job), run it (in a worker, or in-process without
Redis), try it again, and sweep the ones a dead worker left (see reporting.jobs)."""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.tasks import task_dispatch, task_dispatch_on_commit
from reporting.jobs import Heartbeat, stale
from reporting.models import ReportJob
from reporting.registry import job_kind

logger = logging.getLogger(__name__)
PROGRESS_STEP = 5  # percent between progress updates
# Files hold personal data: a finished report's file is deleted this long after it was built.
REPORT_FILES_KEPT_FOR = timedelta(days=7)
SPOOL_IN_MEMORY_UP_TO = 1024 * 1024  # bytes of a report file kept in memory before spilling to disk


@transaction.atomic
def report_job_create(
    *, centre, requested_by, kind: str, title: str, params: dict, access: dict, filename: str = ""
) -> ReportJob:
    """A report (`filename` given) or an action (no file) for the worker; its page polls it.
    `access` records what allowed it: {"permissions": [...]} (centre permissions the
    downloader must still hold, all of them) plus anything the kind's `may_download` reads
    (ADR 0017). It is re-checked at every view of the job's page and every download."""
    job_kind(kind)  # an unknown kind fails here, in the request, not later in a worker
    permissions = access.get("permissions")
    if not isinstance(permissions, list | tuple) or not all(isinstance(p, str) for p in permissions):
        raise ValueError('A report job needs access={"permissions": [...]}: what allowed it')
    job = ReportJob.objects.create(
        centre=centre,
        requested_by=requested_by,
        kind=kind,
        title=title,
        params=params,
        filename=filename,
        access={**access, "permissions": sorted(str(p) for p in permissions)},
        heartbeat_at=timezone.now(),
    )
    from reporting.tasks import report_job_task

    # A broker outage is logged, not raised: the job stays queued for the job sweep.
    task_dispatch_on_commit(report_job_task, job.pk)
    return job


def _claim(job_id: int) -> bool:
    """Start the job if it is queued, or running with no heartbeat for JOB_STALE_AFTER_SECONDS
    (its worker died and this is the redelivered message). One UPDATE: of two messages for
    one job only one starts it; a job started JOB_MAX_ATTEMPTS times is failed instead."""
    startable = Q(status=ReportJob.Status.QUEUED) | (Q(status=ReportJob.Status.RUNNING) & stale())
    claimed = ReportJob.objects.filter(startable, pk=job_id, attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        status=ReportJob.Status.RUNNING, attempts=F("attempts") + 1, heartbeat_at=timezone.now(), progress=0
    )
    if not claimed:
        _fail_if_exhausted(ReportJob.objects.filter(startable, pk=job_id))
    return bool(claimed)


def _fail(job: ReportJob, message: str) -> None:
    """Failed, with `message` kept for staff; any file (partial or whole) deleted."""
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.FAILED, error=message[:2000], finished_at=timezone.now(), file=""
    )
    if job.file:
        job.file.delete(save=False)


WORKER_STOPPED = "The worker stopped while building it (started {attempts} times)"


def _fail_if_exhausted(jobs) -> int:
    failed = 0
    for job in jobs.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS):
        _fail(job, WORKER_STOPPED.format(attempts=job.attempts))
        failed += 1
    return failed


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build the file (or run the action). Safe to run twice, and after a worker died part
    way: see `_claim`. Returns None when there was nothing to start."""
    if not _claim(job_id):
        return None
    job = ReportJob.objects.select_related("centre", "requested_by").get(pk=job_id)
    if job.file:
        job.file.delete(save=False)  # a file a dead worker left behind
    kind = job_kind(job.kind)
    progress = Heartbeat(
        lambda percent: ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
            progress=percent, heartbeat_at=timezone.now()
        ),
        step=PROGRESS_STEP,
    )
    if not kind.makes_file:
        try:
            outcome = kind.run(job, progress)
        except Exception as error:
            logger.exception("Job %s failed", job.public_id)
            _fail(job, f"{type(error).__name__}: {error}")
            return ReportJob.objects.get(pk=job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            outcome=outcome, progress=100, status=ReportJob.Status.DONE, finished_at=timezone.now()
        )
        return ReportJob.objects.get(pk=job.pk)
    # A temporary file, not memory: a big report's file would otherwise be held whole in the
    # worker before it is saved (the builders themselves stream rows).
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_UP_TO) as stream:
        try:
            rows = kind.run(job, stream, progress)
            stream.seek(0)
            # The name is recorded before the file is written, so a worker that dies while
            # writing leaves a file the sweep (or the next attempt) can find and delete.
            name = default_storage.get_available_name(job.file.field.generate_filename(job, job.filename))
            ReportJob.objects.filter(pk=job.pk).update(file=name)
            job.file.name = name
            saved = default_storage.save(name, File(stream))
        except Exception as error:
            logger.exception("Report job %s failed", job.public_id)
            _fail(job, f"{type(error).__name__}: {error}")
            return ReportJob.objects.get(pk=job.pk)
    ReportJob.objects.filter(pk=job.pk).update(
        file=saved, rows=rows, progress=100, status=ReportJob.Status.DONE, finished_at=timezone.now()
    )
    return ReportJob.objects.get(pk=job.pk)


def report_job_retry(*, job: ReportJob) -> ReportJob:
    """ "Try again" on a failed job: the same job, queued afresh for the worker."""
    from reporting.tasks import report_job_task

    with transaction.atomic():
        retried = ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.FAILED).update(
            status=ReportJob.Status.QUEUED, attempts=0, progress=0, error="", heartbeat_at=timezone.now()
        )
        if retried:
            task_dispatch_on_commit(report_job_task, job.pk)
    return ReportJob.objects.get(pk=job.pk)


def report_jobs_sweep() -> dict[str, int]:
    """Run by beat (see reporting.jobs): re-send queued jobs nobody started, re-queue or fail
    running jobs with no heartbeat, delete files left on failed jobs."""
    from reporting.tasks import report_job_task

    counts = {"resent": 0, "requeued": 0, "failed": 0, "files": 0}
    stale_queued = ReportJob.objects.filter(stale(), status=ReportJob.Status.QUEUED)
    for job_id in list(stale_queued.values_list("pk", flat=True)):
        if ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(heartbeat_at=timezone.now()):
            counts["resent"] += task_dispatch(report_job_task, job_id)
    stale_running = ReportJob.objects.filter(stale(), status=ReportJob.Status.RUNNING)
    counts["failed"] = _fail_if_exhausted(stale_running)
    for job_id in list(stale_running.values_list("pk", flat=True)):
        requeued = ReportJob.objects.filter(stale(), pk=job_id, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.QUEUED, heartbeat_at=timezone.now(), progress=0
        )
        if requeued:
            logger.warning("Report job %s had no heartbeat: queued again", job_id)
            counts["requeued"] += 1
            task_dispatch(report_job_task, job_id)
    for job in ReportJob.objects.filter(status=ReportJob.Status.FAILED).exclude(file=""):
        _fail(job, job.error)
        counts["files"] += 1
    return counts


def report_files_expire() -> int:
    """Delete the files of reports built more than REPORT_FILES_KEPT_FOR ago; their pages then
    say to ask again. Returns how many were deleted."""
    cutoff = timezone.now() - REPORT_FILES_KEPT_FOR
    expired = 0
    for job in ReportJob.objects.filter(status=ReportJob.Status.DONE, finished_at__lt=cutoff).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.EXPIRED, file="")
        expired += 1
    return expired
