"""U2/U4/U5: the upload pages' workflow (upload → preview → confirm → results, or cancel),
run on the import-job framework (`reporting.imports`, kind `centres.bulk.kind.KIND`). Every
file is checked by a worker; small previews are saved in the request, bigger ones by a
worker, with progress kept in the cache (shared with the worker when Redis is configured) so
the page can show a bar and survive a reload. A worker that dies leaves an upload the sweep
re-queues or fails (reporting.jobs, docs/adr/0020). The command uses the same reader,
validator and commit directly."""

import logging
import os
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from centres.bulk.kind import KIND
from centres.bulk.reading import BulkFileError, upload_limits
from centres.bulk.saving import BulkCommitError
from centres.bulk.validation import Preview
from centres.models import BulkUpload, Centre
from core.exceptions import ServiceError
from core.tasks import task_dispatch, task_dispatch_on_commit
from reporting.imports import (
    ImportRefused,
    import_commit,
    import_in_worker,
    import_progress,
    import_progress_clear,
    import_progress_reporter,
    import_read,
    import_validate,
)
from reporting.jobs import Heartbeat, attempts_left, stale
from reporting.uploads import UploadRefused, upload_check

logger = logging.getLogger(__name__)

# A preview nobody confirmed is cancelled (and its workbook deleted) after this long.
PREVIEW_KEPT_FOR = timedelta(days=7)


class BulkUploadError(ServiceError):
    """The upload cannot go on; the message is for the administrator."""


def bulk_upload_progress(upload: BulkUpload) -> int:
    return import_progress(KIND, upload.pk)


def _progress_reporter(upload_id: int, *, heartbeat: bool = True) -> Heartbeat:
    """Progress to the cache (the page's bar) and, outside the commit's transaction (where
    nobody else could see it), a heartbeat on the upload for the sweep."""

    def beat() -> None:
        BulkUpload.objects.filter(pk=upload_id).update(heartbeat_at=timezone.now())

    return import_progress_reporter(KIND, upload_id, heartbeat=beat if heartbeat else None)


FILE_NAME_MAX_LENGTH = 250  # BulkUpload.file_name


def bulk_upload_create(*, centre: Centre, uploaded_by, file) -> BulkUpload:
    """Keep the file and queue the worker to check it. Raises BulkUploadError for a file
    refused before it is stored (wrong type, too large, a decompression bomb)."""
    name = os.path.basename(file.name or "upload.xlsx")
    if name.lower().endswith(".xlsx") and len(name) > FILE_NAME_MAX_LENGTH:
        raise BulkUploadError(
            f"The file name must be {FILE_NAME_MAX_LENGTH} characters or fewer. Rename the file and upload it again"
        )
    try:
        # Name, size, then the zip's directory only (cheap): a decompression bomb is refused
        # here, unstored.
        upload_check(file, limits=upload_limits())
    except UploadRefused as error:
        raise BulkUploadError(error.message) from error
    upload = BulkUpload(centre=centre, uploaded_by=uploaded_by, file_name=name, heartbeat_at=timezone.now())
    upload.file.save(f"{upload.public_id}.xlsx", file, save=False)
    upload.save()
    from centres.tasks import bulk_upload_validate_task

    # Even a small file: a workbook's cost is not its size (docs/adr/0020).
    task_dispatch_on_commit(bulk_upload_validate_task, upload.pk)  # broker down: logged, swept
    return upload


def _claim(upload_id: int, status: str) -> bool:
    """Count a worker's start of the upload's current step (checking or saving). False when
    the upload has moved on, or when this start would pass JOB_MAX_ATTEMPTS: it is then
    failed with a message (a file that kills the worker every time must not loop)."""
    claimed = BulkUpload.objects.filter(pk=upload_id, status=status, attempts__lt=settings.JOB_MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1, heartbeat_at=timezone.now()
    )
    if not claimed:
        _give_up(BulkUpload.objects.filter(pk=upload_id, status=status, attempts__gte=settings.JOB_MAX_ATTEMPTS))
    return bool(claimed)


WORKER_STOPPED = {
    BulkUpload.Status.VALIDATING: (
        "The file could not be checked: the work stopped part way {attempts} times. Upload it again; "
        "if it fails again, split it into smaller files"
    ),
    BulkUpload.Status.COMMITTING: (
        "The delegates could not be saved: the work stopped part way {attempts} times. Nothing was "
        "changed: upload the file again"
    ),
}


def _give_up(uploads) -> int:
    given_up = 0
    for upload in uploads:
        message = WORKER_STOPPED[upload.status].format(attempts=upload.attempts)
        if upload.status == BulkUpload.Status.VALIDATING:
            _reject(upload, message)
        else:
            _fail(upload.pk, message)
        given_up += 1
    return given_up


def bulk_upload_validate(*, upload_id: int) -> None:
    """Read and classify every row; store the totals and every error. Safe to run twice."""
    if not _claim(upload_id, BulkUpload.Status.VALIDATING):
        return
    upload = (
        BulkUpload.objects.select_related("centre").filter(pk=upload_id, status=BulkUpload.Status.VALIDATING).first()
    )
    if upload is None:
        return
    report = _progress_reporter(upload.pk)
    report(0, 1)
    try:
        with upload.file.open("rb") as handle:
            rows = import_read(KIND, file=handle)
    except BulkFileError as error:
        _reject(upload, error.message)
        return
    except FileNotFoundError:
        _reject(upload, "The uploaded file is no longer available: upload it again")
        return
    except SoftTimeLimitExceeded:
        _reject(upload, "The file took too long to check: split it into smaller files and upload them one by one")
        return
    except Exception:
        # A file our reader did not expect must not leave the page waiting for ever.
        logger.exception("Bulk upload %s could not be read", upload.pk)
        _reject(upload, "The file could not be read: save it from Excel as .xlsx and upload it again")
        return
    preview = import_validate(KIND, rows=rows, progress=report, centre=upload.centre, uploaded_by=upload.uploaded_by)
    summary = preview.summary()
    BulkUpload.objects.filter(pk=upload.pk, status=BulkUpload.Status.VALIDATING).update(
        status=BulkUpload.Status.PREVIEW,
        rows=summary["rows"],
        new=summary["new"],
        updated=summary["updated"],
        unchanged=summary["unchanged"],
        errors=summary["errors"],
    )
    import_progress_clear(KIND, upload.pk)


def _reject(upload: BulkUpload, message: str) -> None:
    if BulkUpload.objects.filter(pk=upload.pk, status=BulkUpload.Status.VALIDATING).update(
        status=BulkUpload.Status.REJECTED, message=message, finished_at=timezone.now()
    ):
        _discard_file(upload.pk)


def bulk_upload_confirm(
    *, upload: BulkUpload, confirmed_by, welcome: str, welcome_send_after: datetime | None, request=None
) -> None:
    """Start saving a preview with no errors: in the request when small, else by the worker."""
    with transaction.atomic():
        locked = BulkUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != BulkUpload.Status.PREVIEW:
            raise BulkUploadError("This upload has already been confirmed or cancelled")
        if locked.errors:
            raise BulkUploadError("The file has rows with errors: correct them and upload the file again")
        locked.status = BulkUpload.Status.COMMITTING
        locked.welcome = welcome
        locked.welcome_send_after = welcome_send_after if welcome == BulkUpload.Welcome.LATER else None
        locked.confirmed_by = confirmed_by
        locked.attempts, locked.heartbeat_at = 0, timezone.now()
        locked.save(
            update_fields=["status", "welcome", "welcome_send_after", "confirmed_by", "attempts", "heartbeat_at"]
        )
        if import_in_worker(KIND, rows=locked.rows):
            from centres.tasks import bulk_upload_commit_task

            task_dispatch_on_commit(bulk_upload_commit_task, locked.pk)  # broker down: logged, swept
            return
    bulk_upload_commit(upload_id=upload.pk, request=request)


def bulk_upload_commit(*, upload_id: int, request=None) -> None:
    """Save the delegates in one transaction with the upload's status, so a worker that dies
    leaves it COMMITTING (nothing saved) to be run again, and a finished one is never run
    twice. The transaction holds the upload's row lock: the sweep and cancel use it to tell a
    commit in progress from a dead one."""
    if not _claim(upload_id, BulkUpload.Status.COMMITTING):
        return
    try:
        with transaction.atomic():
            upload = (
                # Lock the upload row only: PostgreSQL cannot lock the nullable side of the
                # outer join that select_related makes for confirmed_by.
                BulkUpload.objects.select_for_update(of=("self",))
                .select_related("centre", "uploaded_by", "confirmed_by")
                .filter(pk=upload_id, status=BulkUpload.Status.COMMITTING)
                .first()
            )
            if upload is None:
                return
            with upload.file.open("rb") as handle:
                rows = import_read(KIND, file=handle)
            outcome = import_commit(
                KIND,
                centre=upload.centre,
                # The kind's commit validates the rows itself, inside its transaction.
                preview=Preview(rows=rows, results=[]),
                # Whoever confirmed made the change (a colleague may confirm someone's upload).
                uploaded_by=upload.confirmed_by or upload.uploaded_by,
                file_name=upload.file_name,
                request=request,
                welcome_emails=upload.welcome != BulkUpload.Welcome.NONE,
                welcome_send_after=upload.welcome_send_after,
                progress=_progress_reporter(upload_id, heartbeat=False),
            )
            upload.status = BulkUpload.Status.COMMITTED
            upload.new, upload.updated, upload.unchanged = outcome.new, outcome.updated, outcome.unchanged
            upload.errors, upload.finished_at = [], timezone.now()
            upload.save(update_fields=["status", "new", "updated", "unchanged", "errors", "finished_at"])
        # The workbook holds personal data: deleted once saved (or by the sweep, should this
        # worker die between the commit and here).
        _discard_file(upload_id)
    except SoftTimeLimitExceeded:
        _fail(upload_id, "Saving took too long and was stopped. Nothing was changed: split the file and try again")
        return
    except (BulkCommitError, BulkFileError, ImportRefused) as error:
        _fail(upload_id, error.message)
        return
    except IntegrityError:
        # Someone registered one of these people (or their email) while this was saving.
        logger.warning("Bulk upload %s hit a conflicting change", upload_id, exc_info=True)
        _fail(upload_id, "Another change to these delegates was saved at the same time: upload the file again")
        return
    except Exception:
        logger.exception("Bulk upload %s could not be saved", upload_id)
        _fail(upload_id, "Sorry, the delegates could not be saved. Nothing was changed: try again later")
        return
    import_progress_clear(KIND, upload_id)


def _fail(upload_id: int, message: str) -> None:
    BulkUpload.objects.filter(pk=upload_id, status=BulkUpload.Status.COMMITTING).update(
        status=BulkUpload.Status.FAILED, message=message, finished_at=timezone.now()
    )
    _discard_file(upload_id)


def _discard_file(upload_id: int) -> None:
    """The workbook holds personal data: keep it no longer than the upload needs it."""
    upload = BulkUpload.objects.get(pk=upload_id)
    if upload.file:
        upload.file.delete(save=False)
        BulkUpload.objects.filter(pk=upload_id).update(file="")
    import_progress_clear(KIND, upload_id)


CANCELLABLE = [BulkUpload.Status.PREVIEW, BulkUpload.Status.VALIDATING, BulkUpload.Status.COMMITTING]
SAVING_NOW = (
    "The delegates are being saved now, all in one go, so this upload cannot be cancelled part "
    "way. Wait for it to finish, then edit or deactivate any delegate you did not mean to add"
)


def bulk_upload_cancel(*, upload: BulkUpload) -> None:
    """Cancel while checking, at the preview, or while saving: a save that is waiting (or
    whose worker died) is cancelled; one in progress holds the upload's lock in its
    transaction, so the cancel is refused with SAVING_NOW rather than waiting for it."""
    try:
        with transaction.atomic():
            locked = BulkUpload.objects.select_for_update(nowait=True).filter(pk=upload.pk).first()
            if locked is None or locked.status not in CANCELLABLE:
                raise BulkUploadError("This upload has already been saved or cancelled")
            BulkUpload.objects.filter(pk=upload.pk).update(
                status=BulkUpload.Status.CANCELLED, errors=[], finished_at=timezone.now()
            )
    except OperationalError as error:  # the row is locked: a commit is running
        raise BulkUploadError(SAVING_NOW) from error
    _discard_file(upload.pk)


def bulk_uploads_sweep() -> dict[str, int]:
    """Run by beat (see reporting.jobs). An upload checking or saving with no heartbeat for
    JOB_STALE_AFTER_SECONDS is sent to the worker again (its message was lost or its worker
    died) or, once started JOB_MAX_ATTEMPTS times, rejected or failed with a message. A
    commit in progress holds its row lock and is left alone. Workbooks left on uploads that
    are finished are deleted."""
    from centres.tasks import bulk_upload_commit_task, bulk_upload_validate_task

    tasks = {
        BulkUpload.Status.VALIDATING: bulk_upload_validate_task,
        BulkUpload.Status.COMMITTING: bulk_upload_commit_task,
    }
    counts = {"resent": 0, "failed": 0, "files": 0}
    for status, task in tasks.items():
        dead = BulkUpload.objects.filter(stale(), status=status)
        for upload_id in list(dead.values_list("pk", flat=True)):
            with transaction.atomic():
                # skip_locked: a commit in progress (holding the lock) is alive, however long.
                upload = dead.select_for_update(skip_locked=True).filter(pk=upload_id).first()
                if upload is None:
                    continue
                if not attempts_left(upload.attempts):
                    counts["failed"] += _give_up([upload])
                    continue
                BulkUpload.objects.filter(pk=upload_id).update(heartbeat_at=timezone.now())
            logger.warning("Bulk upload %s (%s) had no heartbeat: sent to the worker again", upload_id, status)
            counts["resent"] += task_dispatch(task, upload_id)
    finished = [s for s in BulkUpload.Status.values if s not in {*tasks, BulkUpload.Status.PREVIEW}]
    for upload_id in BulkUpload.objects.filter(status__in=finished).exclude(file="").values_list("pk", flat=True):
        _discard_file(upload_id)
        counts["files"] += 1
    return counts


def bulk_uploads_expire() -> int:
    """Cancel previews left unconfirmed for PREVIEW_KEPT_FOR and delete their workbooks."""
    cutoff = timezone.now() - PREVIEW_KEPT_FOR
    stale = list(
        BulkUpload.objects.filter(
            status__in=[BulkUpload.Status.PREVIEW, BulkUpload.Status.REJECTED], created_at__lt=cutoff
        )
        .exclude(file="")
        .values_list("pk", flat=True)
    )
    for upload_id in stale:
        BulkUpload.objects.filter(pk=upload_id, status=BulkUpload.Status.PREVIEW).update(
            status=BulkUpload.Status.CANCELLED, errors=[], finished_at=timezone.now(), message="Not confirmed in time"
        )
        _discard_file(upload_id)
    return len(stale)
