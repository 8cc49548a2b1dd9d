"""U2/U4/U5: the delegate bulk upload's page workflow (upload -> check in the worker ->
preview -> confirm -> one atomic save -> results, or cancel), as the platform's one upload
workflow (`reporting.upload_workflow`, ADR 0042) on the import kind `centres.bulk.kind.KIND`.
This module gives it the delegate upload's model, tasks and words."""

from centres.bulk.kind import KIND
from centres.bulk.reading import upload_limits
from centres.bulk.validation import Preview
from centres.models import BulkUpload
from core.exceptions import ServiceError
from reporting.imports import ImportPreview
from reporting.upload_workflow import EXPIRED_MESSAGE, Status, UploadTexts, UploadWorkflow, upload_workflow_register
from reporting.uploads import XLSX


class BulkUploadError(ServiceError):
    """The upload cannot go on; the message is for the administrator."""


SAVING_NOW = (
    "The delegates are being saved now, all in one go, so this upload cannot be cancelled part "
    "way. Wait for it to finish, then edit or deactivate any delegate you did not mean to add"
)
TEXTS = UploadTexts(
    file_name_too_long="The file name must be {limit} characters or fewer. Rename the file and upload it again",
    not_confirmable="This upload has already been confirmed or cancelled",
    not_cancellable="This upload has already been saved or cancelled",
    saving_now=SAVING_NOW,
    check_stopped=(
        "The file could not be checked: the work stopped part way {attempts} times. Upload it again; "
        "if it fails again, split it into smaller files"
    ),
    save_stopped=(
        "The delegates could not be saved: the work stopped part way {attempts} times. Nothing was changed: try again"
    ),
    unreadable="The file could not be read: save it from Excel as .xlsx and upload it again",
    save_failed="Sorry, the delegates could not be saved. Nothing was changed: try again later",
    save_conflict="Another change to these delegates was saved at the same time: try again",
)


def _tasks() -> tuple:
    from centres.tasks import bulk_upload_commit_task, bulk_upload_validate_task

    return bulk_upload_validate_task, bulk_upload_commit_task


def _preview_fields(preview: ImportPreview) -> dict:
    return preview.summary()


def _commit_context(upload: BulkUpload) -> dict:
    return {
        "centre": upload.centre,
        # Whoever confirmed made the change (a colleague may confirm someone's upload).
        "uploaded_by": upload.confirmed_by or upload.uploaded_by,
        "welcome_emails": upload.welcome != BulkUpload.Welcome.NONE,
        "welcome_send_after": upload.welcome_send_after,
    }


def _commit_fields(outcome) -> dict:
    return {"new": outcome.new, "updated": outcome.updated, "unchanged": outcome.unchanged}


def _cancel_fields() -> dict:
    # Who the file named is personal data: a cancelled or expired upload keeps none of it.
    return {"people": [], "people_more": 0, "error_rows": 0}


WORKFLOW = UploadWorkflow(
    kind=KIND,
    model=BulkUpload,
    error=BulkUploadError,
    limits=upload_limits,
    extension=XLSX,
    texts=TEXTS,
    tasks=_tasks,
    preview_fields=_preview_fields,
    commit_fields=_commit_fields,
    rows=lambda upload: upload.rows,
    validate_context=lambda upload: {"centre": upload.centre, "uploaded_by": upload.uploaded_by},
    commit_context=_commit_context,
    empty_preview=lambda rows: Preview(rows=rows, results=[]),
    cancel_fields=_cancel_fields,
)

# Each upload's true status in "Recent uploads": (words, the tag's colour class).
_TAGS = {
    Status.VALIDATING: ("Checking", "nhsuk-tag--white"),
    Status.REJECTED: ("File cannot be used", "nhsuk-tag--red"),
    Status.COMMITTING: ("Saving", "nhsuk-tag--white"),
    Status.COMMITTED: ("Saved", "nhsuk-tag--green"),
}


def upload_status_tag(upload: BulkUpload) -> tuple[str, str]:
    """(what the upload's status is, in words a manager acts on; the tag class)."""
    if upload.status == Status.PREVIEW:
        if upload.error_rows:
            return f"{upload.error_rows} row{'s' if upload.error_rows != 1 else ''} to correct", "nhsuk-tag--red"
        return "Ready to confirm", "nhsuk-tag--blue"
    if upload.status == Status.FAILED:
        return ("Failed — try again", "nhsuk-tag--orange") if upload.file else ("Failed", "nhsuk-tag--red")
    if upload.status == Status.CANCELLED:
        return ("Expired", "nhsuk-tag--grey") if upload.message == EXPIRED_MESSAGE else ("Cancelled", "nhsuk-tag--grey")
    return _TAGS.get(upload.status, (upload.get_status_display(), "nhsuk-tag--grey"))


def recent_uploads(centre, *, limit: int = 5) -> list[tuple[BulkUpload, str, str]]:
    """The centre's latest uploads, cancelled and expired ones included, each with its status
    tag: one query (the stored rows and people are not loaded)."""
    uploads = WORKFLOW.jobs(centre).select_related("uploaded_by").defer("errors", "people")[:limit]
    return [(upload, *upload_status_tag(upload)) for upload in uploads]


def bulk_upload_workflow_register() -> None:
    upload_workflow_register(WORKFLOW)


def bulk_upload_validate(*, upload_id: int) -> None:
    WORKFLOW.validate(job_id=upload_id)


def bulk_upload_commit(*, upload_id: int, request=None) -> None:
    WORKFLOW.commit(job_id=upload_id, request=request)


def bulk_upload_cancel(*, upload: BulkUpload) -> None:
    WORKFLOW.cancel(job=upload)


def bulk_uploads_sweep() -> dict[str, int]:
    return WORKFLOW.sweep()


def bulk_uploads_expire() -> int:
    return WORKFLOW.expire()
