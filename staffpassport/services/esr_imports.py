"""S7 the ESR upload page's workflow (upload -> check in the worker -> preview -> confirm ->
one atomic save -> results, or cancel), as the platform's one upload workflow
(`reporting.upload_workflow`, ADR 0042) on the import kind `staffpassport.esr.kind.KIND`:
this module gives it the ESR import's model, tasks and words."""

from __future__ import annotations

import dataclasses

from core.exceptions import ServiceError
from reporting.upload_workflow import UploadTexts, UploadWorkflow, upload_workflow_register
from reporting.uploads import CSV
from staffpassport.esr.kind import KIND
from staffpassport.esr.plan import EsrPreview
from staffpassport.esr.reading import esr_limits
from staffpassport.models import EsrImport


class EsrImportError(ServiceError):
    """The import cannot go on; the message is for the person at the page."""


TEXTS = UploadTexts(
    file_name_too_long="The file name must be {limit} characters or fewer: rename the file",
    not_confirmable="This feed has already been saved or cancelled",
    not_cancellable="This feed has already been saved or cancelled",
    saving_now=(
        "The staff and credentials are being saved now, all in one go, so this import cannot be cancelled "
        "part way. Wait for it to finish"
    ),
    check_stopped=(
        "The feed could not be checked: the work stopped part way {attempts} times. Upload it again; "
        "if it fails again, split it into smaller files"
    ),
    save_stopped=(
        "The feed could not be saved: the work stopped part way {attempts} times. Nothing was changed: "
        "try again"
    ),
    unreadable="The file could not be read: save it as CSV (comma delimited) and upload it again",
    save_failed="Sorry, the feed could not be saved. Nothing was changed: try again later",
    save_conflict="Another change to these staff was saved at the same time: try again",
)


def _tasks() -> tuple:
    from staffpassport.tasks import esr_import_commit_task, esr_import_validate_task

    return esr_import_validate_task, esr_import_commit_task


WORKFLOW = UploadWorkflow(
    kind=KIND,
    model=EsrImport,
    error=EsrImportError,
    limits=esr_limits,
    extension=CSV,
    texts=TEXTS,
    tasks=_tasks,
    preview_fields=lambda preview: {"counts": dataclasses.asdict(preview.counts), "errors": preview.error_list()},
    commit_fields=lambda counts: {"counts": dataclasses.asdict(counts)},
    rows=lambda esr_import: (esr_import.counts or {}).get("rows", 0),
    commit_context=lambda esr_import: {
        "centre": esr_import.centre,
        "actor": esr_import.confirmed_by or esr_import.uploaded_by,
    },
    empty_preview=lambda feed: EsrPreview(rows=feed, results=[]),
)


def esr_import_workflow_register() -> None:
    upload_workflow_register(WORKFLOW)
