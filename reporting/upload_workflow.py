"""One upload-page workflow for every import kind (ADR 0042): upload -> check in the worker
-> preview with every row's error -> confirm -> one atomic commit (in the request when small,
else in the worker) -> results, or cancel; the recent uploads; and the beat sweep that
re-queues a step a dead worker left (or fails it visibly after JOB_MAX_ATTEMPTS).

A feature describes its upload once as an `UploadWorkflow` (its import kind, its job model,
its tasks, its words) and registers it from AppConfig.ready(); its services, views and
command are thin users of it. The job model has the fields both upload models share:
centre, uploaded_by, confirmed_by, file, file_name, status (the values of `Status` below),
message, errors, attempts, heartbeat_at, created_at, finished_at.

Heavy work never runs in the request: every file is checked by a worker, whatever its size
(a file's cost is not its size, docs/adr/0020). A worker that dies leaves a job the sweep
sends again or fails with a message (reporting.jobs). The file holds personal data: it is
deleted on every terminal state, and by the sweep should a worker die before deleting it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from core.exceptions import ServiceError
from core.tasks import task_dispatch, task_dispatch_on_commit
from reporting.imports import (
    ImportPreview,
    import_commit,
    import_in_worker,
    import_preview,
    import_progress,
    import_progress_clear,
    import_progress_reporter,
    import_read,
    import_validate,
)
from reporting.jobs import Heartbeat, attempts_left, stale
from reporting.uploads import UploadLimits, UploadRefused, upload_check

logger = logging.getLogger(__name__)

FILE_NAME_MAX_LENGTH = 250
PREVIEW_KEPT_FOR = timedelta(days=7)  # a preview nobody confirmed is then cancelled, its file deleted
EXPIRED_MESSAGE = "Not confirmed in time"  # the message of a preview `expire` cancelled


class Status:
    VALIDATING, REJECTED, PREVIEW = "validating", "rejected", "preview"
    COMMITTING, COMMITTED, FAILED, CANCELLED = "committing", "committed", "failed", "cancelled"


WORKING = (Status.VALIDATING, Status.COMMITTING)
CANCELLABLE = (Status.PREVIEW, Status.VALIDATING, Status.COMMITTING, Status.FAILED)


@dataclass(frozen=True)
class UploadTexts:
    """What the person at the page reads; `{attempts}` and `{limit}` are filled in."""

    file_name_too_long: str
    not_confirmable: str  # confirm of an upload already confirmed or cancelled
    not_cancellable: str
    saving_now: str  # cancel while the commit holds its transaction
    check_stopped: str  # the sweep gives up on a check: "{attempts}"
    save_stopped: str
    unreadable: str  # the reader failed in a way it did not expect
    save_failed: str
    has_errors: str = "The file has rows with errors: correct them and upload the file again"
    file_gone: str = "The uploaded file is no longer available: upload it again"
    check_too_long: str = "The file took too long to check: split it into smaller files and upload them one by one"
    save_too_long: str = "Saving took too long and was stopped. Nothing was changed: split the file and try again"
    save_conflict: str = "Another change to these records was saved at the same time: try again"
    not_retryable: str = "This upload cannot be tried again: upload the file again"


def _no_fields(*_args, **_kwargs) -> dict:
    return {}


@dataclass(frozen=True)
class UploadWorkflow:
    kind: str  # the import kind (reporting.import_kinds)
    model: Any  # the job model
    error: type[ServiceError]  # raised to the view with a message for the page
    limits: Callable[[], UploadLimits]
    extension: str  # ".xlsx", ".csv"
    texts: UploadTexts
    tasks: Callable[[], tuple]  # () -> (check task, commit task); looked up when needed
    preview_fields: Callable[[ImportPreview], dict]  # the preview's totals and errors, as job fields
    commit_fields: Callable[[Any], dict] = _no_fields  # the commit's outcome, as job fields
    rows: Callable[[Any], int] = lambda job: 0  # the rows a checked job has (worker or request)
    validate_context: Callable[[Any], dict] = lambda job: {"centre": job.centre}
    commit_context: Callable[[Any], dict] = lambda job: {"centre": job.centre}
    empty_preview: Callable[[Any], ImportPreview] = field(default=lambda rows: ImportPreview(rows=rows, results=[]))
    cancel_fields: Callable[[], dict] = _no_fields  # the kind's stored preview fields to clear on cancel/expire

    # -- reads --------------------------------------------------------------------------

    def jobs(self, centre):
        return self.model.objects.for_centre(centre)

    def recent(self, centre, *, limit: int = 5):
        """The centre's latest uploads for the upload page (cancelled ones left out)."""
        return self.jobs(centre).select_related("uploaded_by").defer("errors").exclude(status=Status.CANCELLED)[:limit]

    def progress(self, job) -> int:
        return import_progress(self.kind, job.pk)

    def _reporter(self, job_id: int, *, heartbeat: bool = True) -> Heartbeat:
        """Progress to the cache and, outside the commit's transaction (where nobody else
        could see it), a heartbeat on the job for the sweep."""

        def beat() -> None:
            self.model.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())

        return import_progress_reporter(self.kind, job_id, heartbeat=beat if heartbeat else None)

    # -- upload and check ---------------------------------------------------------------

    def create(self, *, centre, uploaded_by, file):
        """Keep the file and queue the worker to check it. Raises `error` for a file refused
        before it is stored (wrong type, too large, a decompression bomb, a long name)."""
        name = os.path.basename(file.name or f"upload{self.extension}")
        if name.lower().endswith(self.extension) and len(name) > FILE_NAME_MAX_LENGTH:
            raise self.error(self.texts.file_name_too_long.format(limit=FILE_NAME_MAX_LENGTH))
        try:
            upload_check(file, limits=self.limits(), extension=self.extension)
        except UploadRefused as error:
            raise self.error(error.message) from error
        job = self.model(centre=centre, uploaded_by=uploaded_by, file_name=name, heartbeat_at=timezone.now())
        job.file.save(f"{job.public_id}{self.extension}", file, save=False)
        job.save()
        task_dispatch_on_commit(self.tasks()[0], job.pk)  # broker down: logged, swept
        return job

    def _claim(self, job_id: int, status: str) -> bool:
        """Count a worker's start of the job's current step. False when the job has moved
        on, or when this start would pass JOB_MAX_ATTEMPTS: it is then given up with a
        message (a file that kills the worker every time must not loop)."""
        jobs = self.model.objects.filter(pk=job_id, status=status)
        if jobs.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
            attempts=F("attempts") + 1, heartbeat_at=timezone.now()
        ):
            return True
        self._give_up(jobs.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS))
        return False

    def _give_up(self, jobs) -> int:
        given_up = 0
        for job in jobs:
            if job.status == Status.VALIDATING:
                self._finish(job.pk, Status.REJECTED, self.texts.check_stopped.format(attempts=job.attempts))
            else:
                message = self.texts.save_stopped.format(attempts=job.attempts)
                self._finish(job.pk, Status.FAILED, message, keep_file=True)
            given_up += 1
        return given_up

    def validate(self, *, job_id: int) -> None:
        """The worker's check: every row's outcome and every error stored. Safe to run twice."""
        if not self._claim(job_id, Status.VALIDATING):
            return
        job = self.model.objects.select_related("centre").filter(pk=job_id, status=Status.VALIDATING).first()
        if job is None:
            return
        report = self._reporter(job_id)
        report(0, 1)
        try:
            with job.file.open("rb") as handle:
                rows = import_read(self.kind, file=handle)
                preview = import_validate(self.kind, rows=rows, progress=report, **self.validate_context(job))
        except ServiceError as error:  # the kind's "this file cannot be used"
            self._finish(job_id, Status.REJECTED, error.message)
            return
        except FileNotFoundError:
            self._finish(job_id, Status.REJECTED, self.texts.file_gone)
            return
        except SoftTimeLimitExceeded:
            self._finish(job_id, Status.REJECTED, self.texts.check_too_long)
            return
        except Exception:
            # A file the reader did not expect must not leave the page waiting for ever.
            logger.exception("Upload %s %s could not be checked", self.kind, job_id)
            self._finish(job_id, Status.REJECTED, self.texts.unreadable)
            return
        self.model.objects.filter(pk=job_id, status=Status.VALIDATING).update(
            status=Status.PREVIEW, **self.preview_fields(preview)
        )
        import_progress_clear(self.kind, job_id)

    # -- confirm and commit -------------------------------------------------------------

    def confirm(self, *, job, confirmed_by, request=None, **fields) -> None:
        """Start saving a preview with no errors: in the request when small, else by the
        worker. `fields` are the confirm form's choices, kept on the job for the commit."""
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=job.pk)
            if locked.status != Status.PREVIEW:
                raise self.error(self.texts.not_confirmable)
            if locked.errors:
                raise self.error(self.texts.has_errors)
            updates = {"status": Status.COMMITTING, "confirmed_by": confirmed_by, "attempts": 0, **fields}
            for name, value in updates.items():
                setattr(locked, name, value)
            locked.heartbeat_at = timezone.now()
            locked.save(update_fields=[*updates, "heartbeat_at"])
            if import_in_worker(self.kind, rows=self.rows(locked)):
                task_dispatch_on_commit(self.tasks()[1], locked.pk)  # broker down: logged, swept
                return
        self.commit(job_id=job.pk, request=request)

    def commit(self, *, job_id: int, request=None) -> None:
        """Every row read, checked again and saved in one transaction with the job's status:
        a worker that dies leaves it COMMITTING (nothing saved) for the sweep, and a finished
        one is never saved twice. The transaction holds the job's row lock: the sweep and
        cancel use it to tell a commit in progress from a dead one."""
        if not self._claim(job_id, Status.COMMITTING):
            return
        try:
            with transaction.atomic():
                job = (
                    # The job row only: PostgreSQL cannot lock the nullable side of an outer join.
                    self.model.objects.select_for_update(of=("self",))
                    .select_related("centre", "uploaded_by", "confirmed_by")
                    .filter(pk=job_id, status=Status.COMMITTING)
                    .first()
                )
                if job is None:
                    return
                with job.file.open("rb") as handle:
                    rows = import_read(self.kind, file=handle)
                    outcome = import_commit(
                        self.kind,
                        # The kind's commit checks the rows itself, inside the transaction.
                        preview=self.empty_preview(rows),
                        request=request,
                        file_name=job.file_name,
                        progress=self._reporter(job_id, heartbeat=False),
                        **self.commit_context(job),
                    )
                updates = {"status": Status.COMMITTED, "errors": [], "finished_at": timezone.now()}
                updates |= self.commit_fields(outcome)
                self.model.objects.filter(pk=job_id).update(**updates)
        except SoftTimeLimitExceeded:
            self._finish(job_id, Status.FAILED, self.texts.save_too_long)
            return
        except ServiceError as error:  # refused: a row went wrong since the preview
            self._finish(job_id, Status.FAILED, error.message)
            return
        except IntegrityError:
            logger.warning("Upload %s %s hit a conflicting change", self.kind, job_id, exc_info=True)
            self._finish(job_id, Status.FAILED, self.texts.save_conflict, keep_file=True)
            return
        except Exception:
            logger.exception("Upload %s %s could not be saved", self.kind, job_id)
            self._finish(job_id, Status.FAILED, self.texts.save_failed, keep_file=True)
            return
        self._discard_file(job_id)

    # -- ends -----------------------------------------------------------------------------

    def _finish(self, job_id: int, status: str, message: str, *, keep_file: bool = False) -> None:
        """Reject a check or fail a commit with a message; the file is deleted, unless the
        file was fine and the save may be tried again (`keep_file`: until `retry`, cancel
        or `expire`)."""
        current = Status.VALIDATING if status == Status.REJECTED else Status.COMMITTING
        self.model.objects.filter(pk=job_id, status=current).update(
            status=status, message=message, finished_at=timezone.now()
        )
        if keep_file:
            import_progress_clear(self.kind, job_id)
        else:
            self._discard_file(job_id)

    def retry(self, *, job, confirmed_by, request=None) -> None:
        """Try a failed save again with the same file (kept when the file was fine: the
        worker stopped, a conflicting change, an unexpected error), as `confirm` does."""
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=job.pk)
            if locked.status != Status.FAILED or not locked.file:
                raise self.error(self.texts.not_retryable)
            locked.status, locked.message, locked.finished_at = Status.PREVIEW, "", None
            locked.save(update_fields=["status", "message", "finished_at"])
        self.confirm(job=job, confirmed_by=confirmed_by, request=request)

    def _discard_file(self, job_id: int) -> None:
        job = self.model.objects.only("file").get(pk=job_id)
        if job.file:
            job.file.delete(save=False)
            self.model.objects.filter(pk=job_id).update(file="")
        import_progress_clear(self.kind, job_id)

    def cancel(self, *, job) -> None:
        """Cancel while checking, at the preview, or while a save waits (or its worker died);
        a save in progress holds the job's lock, so the cancel is refused with `saving_now`
        rather than waiting for it."""
        try:
            with transaction.atomic():
                locked = self.model.objects.select_for_update(nowait=True).filter(pk=job.pk).first()
                if locked is None or locked.status not in CANCELLABLE:
                    raise self.error(self.texts.not_cancellable)
                self.model.objects.filter(pk=job.pk).update(
                    status=Status.CANCELLED, errors=[], finished_at=timezone.now(), **self.cancel_fields()
                )
        except OperationalError as error:  # the row is locked: a commit is running
            raise self.error(self.texts.saving_now) from error
        self._discard_file(job.pk)

    def sweep(self) -> dict[str, int]:
        """Beat (see reporting.jobs): a job checking or saving with no heartbeat for
        JOB_STALE_AFTER_SECONDS is sent to the worker again (its message was lost or its
        worker died) or, once started JOB_MAX_ATTEMPTS times, rejected or failed with a
        message. A commit in progress holds its row lock and is left alone. Files left on
        finished jobs are deleted."""
        check_task, commit_task = self.tasks()
        counts = {"resent": 0, "failed": 0, "files": 0}
        for status, task in ((Status.VALIDATING, check_task), (Status.COMMITTING, commit_task)):
            dead = self.model.objects.filter(stale(), status=status)
            for job_id in list(dead.values_list("pk", flat=True)):
                with transaction.atomic():
                    # skip_locked: a commit in progress (holding the lock) is alive, however long.
                    job = dead.select_for_update(skip_locked=True).filter(pk=job_id).first()
                    if job is None:
                        continue
                    if not attempts_left(job.attempts):
                        counts["failed"] += self._give_up([job])
                        continue
                    self.model.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
                logger.warning(
                    "Upload %s %s (%s) had no heartbeat: sent to the worker again", self.kind, job_id, status
                )
                counts["resent"] += task_dispatch(task, job_id)
        # A failed save's file is kept for "Try again" until `expire`.
        finished = self.model.objects.exclude(status__in=[*WORKING, Status.PREVIEW, Status.FAILED]).exclude(file="")
        for job_id in finished.values_list("pk", flat=True):
            self._discard_file(job_id)
            counts["files"] += 1
        return counts

    def expire(self) -> int:
        """Cancel previews left unconfirmed for PREVIEW_KEPT_FOR and delete their files."""
        cutoff = timezone.now() - PREVIEW_KEPT_FOR
        old = self.model.objects.filter(
            status__in=[Status.PREVIEW, Status.REJECTED, Status.FAILED], created_at__lt=cutoff
        )
        expired = 0
        for job_id in old.exclude(file="").values_list("pk", flat=True):
            # Locked and read again: a confirm or "Try again" at this moment moves the job on
            # (both lock the row), and then its file must stay.
            with transaction.atomic():
                status = (
                    self.model.objects.select_for_update()
                    .filter(pk=job_id, status__in=[Status.PREVIEW, Status.REJECTED, Status.FAILED])
                    .values_list("status", flat=True)
                    .first()
                )
                if status is None:
                    continue
                if status == Status.PREVIEW:
                    self.model.objects.filter(pk=job_id).update(
                        status=Status.CANCELLED,
                        errors=[],
                        finished_at=timezone.now(),
                        message=EXPIRED_MESSAGE,
                        **self.cancel_fields(),
                    )
                self._discard_file(job_id)
            expired += 1
        return expired


# -- the registry and the sweeps for every kind -------------------------------------------

_WORKFLOWS: dict[str, UploadWorkflow] = {}


def upload_workflow_register(workflow: UploadWorkflow) -> UploadWorkflow:
    _WORKFLOWS[workflow.kind] = workflow
    return workflow


def upload_workflows() -> list[UploadWorkflow]:
    return [_WORKFLOWS[kind] for kind in sorted(_WORKFLOWS)]


def upload_jobs_sweep() -> dict[str, int]:
    """The beat sweep of every registered upload workflow (one entry for all kinds)."""
    totals = {"resent": 0, "failed": 0, "files": 0}
    for workflow in upload_workflows():
        for name, count in workflow.sweep().items():
            totals[name] += count
    return totals


def upload_jobs_expire() -> int:
    return sum(workflow.expire() for workflow in upload_workflows())


# -- the command line: the same read, check and commit, in the caller's process ------------


@dataclass
class ImportRun:
    preview: ImportPreview
    outcome: Any = None
    committed: bool = False


def import_file_run(kind: str, *, file: IO[bytes], commit: bool, context: dict, commit_context: dict) -> ImportRun:
    """Check every row of `file`; with `commit` and no errors, save them all in one
    transaction. The kind's own error propagates for a file that cannot be used at all."""
    preview = import_preview(kind, file=file, **context)
    run = ImportRun(preview=preview)
    if commit and not preview.has_errors:
        run.outcome = import_commit(kind, preview=preview, **context, **commit_context)
        run.committed = True
    return run
