"""Create a report job, and run it (in a worker, or in-process without Redis)."""

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from config.tasks import task_dispatch_on_commit
from reporting.models import ReportJob
from reporting.registry import report_builder

logger = logging.getLogger(__name__)
PROGRESS_STEP = 5  # percent between progress updates
# Files hold personal data: a finished report's file is deleted this long after it was built.
REPORT_FILES_KEPT_FOR = timedelta(days=7)
SPOOL_IN_MEMORY_UP_TO = 1024 * 1024  # bytes of a report file kept in memory before spilling to disk


@transaction.atomic
def report_job_create(
    *, centre, requested_by, kind: str, title: str, params: dict, filename: str, access: dict
) -> ReportJob:
    """`access` records what allowed this report: {"permissions": [...]} (centre permissions
    the downloader must still hold, all of them) plus anything the kind's `may_download`
    reads (ADR 0017). It is re-checked at every download."""
    report_builder(kind)  # an unknown kind fails here, in the request, not later in a worker
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
    )
    from reporting.tasks import report_job_task

    # A broker outage is logged, not raised: the job stays queued for the job sweep.
    task_dispatch_on_commit(report_job_task, job.pk)
    return job


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Build the file. Safe to run twice: only a queued job is started."""
    if not ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(status=ReportJob.Status.RUNNING):
        return None
    job = ReportJob.objects.select_related("centre", "requested_by").get(pk=job_id)
    last = {"percent": 0}

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 99
        if percent >= last["percent"] + PROGRESS_STEP:
            last["percent"] = percent
            ReportJob.objects.filter(pk=job.pk).update(progress=percent)

    # A temporary file, not memory: a big report's file would otherwise be held whole in the
    # worker before it is saved (the builders themselves stream rows).
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_UP_TO) as stream:
        try:
            rows = report_builder(job.kind)(job, stream, progress)
        except Exception as error:
            logger.exception("Report job %s failed", job.public_id)
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
            return ReportJob.objects.get(pk=job.pk)
        stream.seek(0)
        job.file.save(job.filename, File(stream), save=False)
    ReportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, rows=rows, progress=100, status=ReportJob.Status.DONE, finished_at=timezone.now()
    )
    return ReportJob.objects.get(pk=job.pk)


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
