"""Worker tasks of the staff passport: they take ids and call services; safe to run twice."""

from celery import shared_task

from staffpassport.services import esr_imports as uploads

VALIDATE_SOFT_LIMIT = 10 * 60  # seconds
COMMIT_SOFT_LIMIT = 13 * 60


@shared_task(acks_late=True, soft_time_limit=VALIDATE_SOFT_LIMIT, time_limit=VALIDATE_SOFT_LIMIT + 60)
def esr_import_validate_task(import_id: int) -> None:
    uploads.WORKFLOW.validate(job_id=import_id)


@shared_task(acks_late=True, soft_time_limit=COMMIT_SOFT_LIMIT, time_limit=COMMIT_SOFT_LIMIT + 60)
def esr_import_commit_task(import_id: int) -> None:
    uploads.WORKFLOW.commit(job_id=import_id)
