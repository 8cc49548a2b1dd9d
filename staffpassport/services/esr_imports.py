"""The ESR upload page's workflow (upload -> check -> preview -> confirm -> saved), on the
import-job framework (`reporting.imports`, kind `esr.kind.KIND`), like the delegates' bulk
upload: a small file is checked in the request, a big one by the worker; a confirmed feed
is saved in one transaction, in the request up to INLINE_MAX_ROWS rows, else by the worker,
with progress in the cache for the page's bar. The file holds personal data: it is deleted
once the import is saved, cancelled, rejected or failed."""

from __future__ import annotations

import dataclasses
import logging
import os

from django.db import transaction
from django.utils import timezone

from core.exceptions import ServiceError
from core.tasks import task_dispatch_on_commit
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
from reporting.jobs import stale
from reporting.uploads import CSV, UploadRefused, upload_check
from staffpassport.esr.kind import KIND
from staffpassport.esr.plan import EsrPreview
from staffpassport.esr.reading import EsrFeedError, esr_limits
from staffpassport.models import EsrImport

logger = logging.getLogger(__name__)

# A file up to this size is checked in the request (about 7,000 rows); bigger by the worker.
INLINE_CHECK_BYTES = 1024 * 1024
FILE_NAME_MAX_LENGTH = 250


class EsrImportError(ServiceError):
    """The import cannot go on; the message is for the person at the page."""


def esr_import_progress(esr_import: EsrImport) -> int:
    return import_progress(KIND, esr_import.pk)


def _reporter(import_id: int, *, heartbeat: bool = True):
    def beat() -> None:
        EsrImport.objects.filter(pk=import_id).update(heartbeat_at=timezone.now())

    return import_progress_reporter(KIND, import_id, heartbeat=beat if heartbeat else None)


def esr_import_create(*, centre, uploaded_by, file) -> EsrImport:
    """Keep the file and check it (now when small, else in the worker). Raises
    EsrImportError for a file refused before it is stored."""
    name = os.path.basename(file.name or "esr-feed.csv")
    if len(name) > FILE_NAME_MAX_LENGTH:
        raise EsrImportError(f"The file name must be {FILE_NAME_MAX_LENGTH} characters or fewer: rename the file")
    try:
        upload_check(file, limits=esr_limits(), extension=CSV)
    except UploadRefused as error:
        raise EsrImportError(error.message) from error
    esr_import = EsrImport(centre=centre, uploaded_by=uploaded_by, file_name=name, heartbeat_at=timezone.now())
    esr_import.file.save(f"{esr_import.public_id}.csv", file, save=False)
    esr_import.save()
    if (file.size or 0) <= INLINE_CHECK_BYTES:
        esr_import_validate(import_id=esr_import.pk)
        esr_import.refresh_from_db()
    else:
        from staffpassport.tasks import esr_import_validate_task

        task_dispatch_on_commit(esr_import_validate_task, esr_import.pk)
    return esr_import


def esr_import_validate(*, import_id: int) -> None:
    """Check every row; store the counts and every error. Safe to run twice."""
    claimed = EsrImport.objects.filter(pk=import_id, status=EsrImport.Status.VALIDATING).update(
        attempts=1, heartbeat_at=timezone.now()
    )
    esr_import = EsrImport.objects.select_related("centre").filter(pk=import_id).first()
    if not claimed or esr_import is None:
        return
    report = _reporter(import_id)
    try:
        with esr_import.file.open("rb") as handle:
            feed = import_read(KIND, file=handle)
            preview = import_validate(KIND, rows=feed, progress=report, centre=esr_import.centre)
    except EsrFeedError as error:
        _finish(import_id, EsrImport.Status.VALIDATING, EsrImport.Status.REJECTED, message=error.message)
        return
    except Exception:
        logger.exception("ESR import %s could not be checked", import_id)
        _finish(
            import_id,
            EsrImport.Status.VALIDATING,
            EsrImport.Status.REJECTED,
            message="The file could not be read: save it as CSV (comma delimited) and upload it again",
        )
        return
    EsrImport.objects.filter(pk=import_id, status=EsrImport.Status.VALIDATING).update(
        status=EsrImport.Status.PREVIEW,
        counts=dataclasses.asdict(preview.counts),
        errors=preview.error_list(),
    )
    import_progress_clear(KIND, import_id)


def esr_import_confirm(*, esr_import: EsrImport, confirmed_by, request=None) -> None:
    """Save a checked feed with no errors: in the request when small, else by the worker."""
    with transaction.atomic():
        locked = EsrImport.objects.select_for_update().get(pk=esr_import.pk)
        if locked.status != EsrImport.Status.PREVIEW:
            raise EsrImportError("This feed has already been saved or cancelled")
        if locked.errors:
            raise EsrImportError("The file has rows with errors: correct them and upload the file again")
        locked.status, locked.confirmed_by, locked.heartbeat_at = (
            EsrImport.Status.COMMITTING,
            confirmed_by,
            timezone.now(),
        )
        locked.attempts = 0
        locked.save(update_fields=["status", "confirmed_by", "heartbeat_at", "attempts"])
        if import_in_worker(KIND, rows=locked.counts.get("rows", 0)):
            from staffpassport.tasks import esr_import_commit_task

            task_dispatch_on_commit(esr_import_commit_task, locked.pk)
            return
    esr_import_commit(import_id=esr_import.pk, request=request)


def esr_import_commit(*, import_id: int, request=None) -> None:
    """Every row checked again and saved in one transaction with the import's status: a
    worker that dies leaves nothing saved; a finished import is never saved twice."""
    if not EsrImport.objects.filter(pk=import_id, status=EsrImport.Status.COMMITTING).update(
        attempts=1, heartbeat_at=timezone.now()
    ):
        return
    try:
        with transaction.atomic():
            esr_import = (
                EsrImport.objects.select_for_update(of=("self",))
                .select_related("centre", "uploaded_by", "confirmed_by")
                .filter(pk=import_id, status=EsrImport.Status.COMMITTING)
                .first()
            )
            if esr_import is None:
                return
            with esr_import.file.open("rb") as handle:
                feed = import_read(KIND, file=handle)
                counts = import_commit(
                    KIND,
                    preview=EsrPreview(rows=feed, results=[]),
                    centre=esr_import.centre,
                    actor=esr_import.confirmed_by or esr_import.uploaded_by,
                    file_name=esr_import.file_name,
                    request=request,
                    progress=_reporter(import_id, heartbeat=False),
                )
            esr_import.status, esr_import.finished_at = EsrImport.Status.COMMITTED, timezone.now()
            esr_import.counts = dataclasses.asdict(counts)
            esr_import.save(update_fields=["status", "finished_at", "counts"])
    except (ImportRefused, EsrFeedError) as error:
        _finish(import_id, EsrImport.Status.COMMITTING, EsrImport.Status.FAILED, message=error.message)
        return
    except Exception:
        logger.exception("ESR import %s could not be saved", import_id)
        _finish(
            import_id,
            EsrImport.Status.COMMITTING,
            EsrImport.Status.FAILED,
            message="Sorry, the feed could not be saved. Nothing was changed: try again later",
        )
        return
    _discard_file(import_id)


def _finish(import_id: int, current: str, status: str, *, message: str) -> None:
    EsrImport.objects.filter(pk=import_id, status=current).update(
        status=status, message=message, finished_at=timezone.now()
    )
    _discard_file(import_id)


def _discard_file(import_id: int) -> None:
    esr_import = EsrImport.objects.get(pk=import_id)
    if esr_import.file:
        esr_import.file.delete(save=False)
        EsrImport.objects.filter(pk=import_id).update(file="")
    import_progress_clear(KIND, import_id)


def esr_import_cancel(*, esr_import: EsrImport) -> None:
    with transaction.atomic():
        locked = EsrImport.objects.select_for_update().get(pk=esr_import.pk)
        if locked.status not in {EsrImport.Status.PREVIEW, EsrImport.Status.VALIDATING}:
            raise EsrImportError("This feed is being saved or has already been saved or cancelled")
        locked.status, locked.finished_at = EsrImport.Status.CANCELLED, timezone.now()
        locked.save(update_fields=["status", "finished_at"])
    _discard_file(esr_import.pk)


STOPPED = "The work stopped part way. Nothing was changed: upload the file again"


def esr_imports_sweep() -> int:
    """Beat: an import checking or saving with no heartbeat for JOB_STALE_AFTER_SECONDS (its
    worker died or its message was lost) fails visibly; a commit in progress holds its row
    lock and is left alone."""
    failed = 0
    for import_id in list(
        EsrImport.objects.filter(
            stale(), status__in=[EsrImport.Status.VALIDATING, EsrImport.Status.COMMITTING]
        ).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            esr_import = EsrImport.objects.select_for_update(skip_locked=True).filter(pk=import_id).first()
            if esr_import is None or not esr_import.is_working:
                continue
            esr_import.status = (
                EsrImport.Status.REJECTED
                if esr_import.status == EsrImport.Status.VALIDATING
                else EsrImport.Status.FAILED
            )
            esr_import.message, esr_import.finished_at = STOPPED, timezone.now()
            esr_import.save(update_fields=["status", "message", "finished_at"])
        _discard_file(import_id)
        failed += 1
    return failed
