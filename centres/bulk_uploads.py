"""U2/U4/U5: the upload pages' workflow around `bulk_import` (upload → preview → confirm →
results, or cancel). Small files are checked and saved in the request; bigger ones by a
worker, with progress kept in the cache (shared with the worker when Redis is configured) so
the page can show a bar and survive a reload. The command uses `bulk_import` directly: the
same reader, validator and commit."""

import logging
import os
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from centres.bulk_import import (
    MAX_FILE_BYTES,
    BulkCommitError,
    BulkFileError,
    Preview,
    commit,
    read_workbook,
    upload_limits,
    validate,
)
from centres.models import BulkUpload, Centre
from reporting.uploads import UploadRefused, xlsx_check

logger = logging.getLogger(__name__)

# Files up to this size (about 300 rows) are checked in the request; bigger ones by a worker.
INLINE_MAX_BYTES = 24 * 1024
# Previews with up to this many rows are saved in the request; more by a worker.
INLINE_MAX_ROWS = 300
PROGRESS_TTL = 60 * 60
# A preview nobody confirmed is cancelled (and its workbook deleted) after this long.
PREVIEW_KEPT_FOR = timedelta(days=7)


class BulkUploadError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _progress_key(upload_id: int) -> str:
    return f"bulk-upload:{upload_id}:progress"


def bulk_upload_progress(upload: BulkUpload) -> int:
    return int(cache.get(_progress_key(upload.pk), 0))


def _progress_reporter(upload_id: int):
    last = {"percent": -1}

    def report(done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 99
        if percent != last["percent"]:
            last["percent"] = percent
            cache.set(_progress_key(upload_id), percent, PROGRESS_TTL)

    return report


def bulk_upload_create(*, centre: Centre, uploaded_by, file) -> BulkUpload:
    """Keep the file and check it: in the request if small, else queue the worker. Raises
    BulkUploadError for a file refused before it is stored (wrong type, too large)."""
    name = os.path.basename(file.name or "upload.xlsx")[:250]
    if not name.lower().endswith(".xlsx"):
        raise BulkUploadError("The selected file must be an Excel workbook (.xlsx)")
    if file.size > MAX_FILE_BYTES:
        raise BulkUploadError(f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if file.size == 0:
        raise BulkUploadError("The selected file is empty")
    try:
        # The zip's directory only (cheap): a decompression bomb is refused here, unstored.
        xlsx_check(file, limits=upload_limits())
    except UploadRefused as error:
        raise BulkUploadError(error.message) from error
    upload = BulkUpload(centre=centre, uploaded_by=uploaded_by, file_name=name)
    upload.file.save(f"{upload.public_id}.xlsx", file, save=False)
    upload.save()
    if file.size <= INLINE_MAX_BYTES:
        bulk_upload_validate(upload_id=upload.pk)
        upload.refresh_from_db()
    else:
        from centres.tasks import bulk_upload_validate_task

        transaction.on_commit(lambda: bulk_upload_validate_task.delay(upload.pk))
    return upload


def bulk_upload_validate(*, upload_id: int) -> None:
    """Read and classify every row; store the totals and every error. Safe to run twice."""
    upload = (
        BulkUpload.objects.select_related("centre").filter(pk=upload_id, status=BulkUpload.Status.VALIDATING).first()
    )
    if upload is None:
        return
    report = _progress_reporter(upload.pk)
    report(0, 1)
    try:
        with upload.file.open("rb") as handle:
            rows = read_workbook(handle)
    except BulkFileError as error:
        _reject(upload, error.message)
        return
    except FileNotFoundError:
        _reject(upload, "The uploaded file is no longer available: upload it again")
        return
    except Exception:
        # A file our reader did not expect must not leave the page waiting for ever.
        logger.exception("Bulk upload %s could not be read", upload.pk)
        _reject(upload, "The file could not be read: save it from Excel as .xlsx and upload it again")
        return
    preview = validate(centre=upload.centre, rows=rows, progress=report)
    summary = preview.summary()
    BulkUpload.objects.filter(pk=upload.pk, status=BulkUpload.Status.VALIDATING).update(
        status=BulkUpload.Status.PREVIEW,
        rows=summary["rows"],
        new=summary["new"],
        updated=summary["updated"],
        unchanged=summary["unchanged"],
        errors=summary["errors"],
    )
    cache.delete(_progress_key(upload.pk))


def _reject(upload: BulkUpload, message: str) -> None:
    BulkUpload.objects.filter(pk=upload.pk).update(
        status=BulkUpload.Status.REJECTED, message=message, finished_at=timezone.now()
    )
    upload.file.delete(save=False)
    cache.delete(_progress_key(upload.pk))


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
        locked.save(update_fields=["status", "welcome", "welcome_send_after", "confirmed_by"])
        if locked.rows > INLINE_MAX_ROWS:
            from centres.tasks import bulk_upload_commit_task

            transaction.on_commit(lambda: bulk_upload_commit_task.delay(locked.pk))
            return
    bulk_upload_commit(upload_id=upload.pk, request=request)


def bulk_upload_commit(*, upload_id: int, request=None) -> None:
    """Save the delegates in one transaction with the upload's status, so a worker that dies
    leaves it COMMITTING to be run again, and a finished one is never run twice."""
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
                rows = read_workbook(handle)
            outcome = commit(
                centre=upload.centre,
                # commit validates the rows itself, inside its transaction.
                preview=Preview(rows=rows, results=[]),
                # Whoever confirmed made the change (a colleague may confirm someone's upload).
                uploaded_by=upload.confirmed_by or upload.uploaded_by,
                file_name=upload.file_name,
                request=request,
                welcome_emails=upload.welcome != BulkUpload.Welcome.NONE,
                welcome_send_after=upload.welcome_send_after,
                progress=_progress_reporter(upload_id),
            )
            upload.status = BulkUpload.Status.COMMITTED
            upload.new, upload.updated, upload.unchanged = outcome.new, outcome.updated, outcome.unchanged
            upload.errors, upload.finished_at = [], timezone.now()
            # The workbook holds personal data: forget it with the commit, delete it after.
            stored, upload.file = upload.file.name, ""
            upload.save(update_fields=["status", "new", "updated", "unchanged", "errors", "finished_at", "file"])
            transaction.on_commit(lambda: default_storage.delete(stored))
    except (BulkCommitError, BulkFileError) as error:
        _fail(upload_id, error.message if isinstance(error, BulkFileError) else str(error))
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
    cache.delete(_progress_key(upload_id))


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
    cache.delete(_progress_key(upload_id))


def bulk_upload_cancel(*, upload: BulkUpload) -> None:
    updated = BulkUpload.objects.filter(
        pk=upload.pk, status__in=[BulkUpload.Status.PREVIEW, BulkUpload.Status.VALIDATING]
    ).update(status=BulkUpload.Status.CANCELLED, errors=[], finished_at=timezone.now())
    if not updated:
        raise BulkUploadError("This upload has already been confirmed or cancelled")
    _discard_file(upload.pk)


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
