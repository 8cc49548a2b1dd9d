"""Worker tasks for centres: they take ids and call services. The import tasks have a soft
time limit (the service then rejects or fails the upload with a message) below the hard one."""

from celery import shared_task

from centres.bulk import uploads as bulk_uploads

VALIDATE_SOFT_LIMIT = 5 * 60  # seconds
COMMIT_SOFT_LIMIT = 12 * 60


@shared_task(acks_late=True, soft_time_limit=VALIDATE_SOFT_LIMIT, time_limit=VALIDATE_SOFT_LIMIT + 60)
def bulk_upload_validate_task(upload_id: int) -> None:
    bulk_uploads.bulk_upload_validate(upload_id=upload_id)


@shared_task(acks_late=True, soft_time_limit=COMMIT_SOFT_LIMIT, time_limit=COMMIT_SOFT_LIMIT + 60)
def bulk_upload_commit_task(upload_id: int) -> None:
    bulk_uploads.bulk_upload_commit(upload_id=upload_id)
