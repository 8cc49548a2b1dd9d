"""Tasks take ids and call services; both are safe to run twice."""

from celery import shared_task

from notifications import services


@shared_task(bind=True, max_retries=7, acks_late=True)
def email_deliver_task(self, email_id: int) -> bool:
    try:
        return services.email_deliver(email_id=email_id)
    except Exception as error:
        if self.request.is_eager:
            # In-process mode (no Redis): leave the row pending for the outbox sweep.
            return False
        # Back-off (OUTBOX_RETRY_BASE_SECONDS doubling per failed attempt) is recorded on the
        # row; retry when it is over. The beat sweep picks up anything left behind.
        raise self.retry(exc=error, countdown=services.email_retry_countdown(email_id=email_id)) from error


@shared_task
def emails_deliver_task(email_ids: list[int]) -> int:
    """Fan out: one delivery task per row of a mass email (`services.emails_send`), queued by
    the worker rather than by the request that wrote them."""
    for email_id in email_ids:
        email_deliver_task.delay(email_id)
    return len(email_ids)


@shared_task
def outbox_sweep() -> int:
    due = services.outbox_due_ids()
    for email_id in due:
        email_deliver_task.delay(email_id)
    return len(due)
