"""Worker tasks for centres: they take ids and call services."""

from celery import shared_task

from centres import bulk_uploads


@shared_task(acks_late=True)
def bulk_upload_validate_task(upload_id: int) -> None:
    bulk_uploads.bulk_upload_validate(upload_id=upload_id)


@shared_task(acks_late=True)
def bulk_upload_commit_task(upload_id: int) -> None:
    bulk_uploads.bulk_upload_commit(upload_id=upload_id)


@shared_task
def bulk_uploads_expire_task() -> int:
    return bulk_uploads.bulk_uploads_expire()
