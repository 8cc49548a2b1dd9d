from celery import shared_task

from submissions.tokens import submission_tokens_expire


@shared_task
def submission_tokens_expire_task() -> int:
    return submission_tokens_expire()
