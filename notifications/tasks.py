"""Tasks take ids and call services; both are safe to run twice."""

from celery import shared_task

from notifications import services, summaries
from notifications.registry import summary_audiences


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


@shared_task
def weekly_summaries_send_task() -> int:
    """Beat (CELERY_BEAT_SCHEDULE "weekly-summaries"): one task per centre with subscribers,
    and one per audience and centre with recipients (ADR 0039), all for the ISO week in which
    beat fired, so a late or redelivered task still counts against that week. Returns how
    many tasks were queued."""
    iso_year, iso_week = summaries.iso_week_of()
    centre_ids = summaries.weekly_summary_centre_ids()
    for centre_id in centre_ids:
        weekly_summary_centre_task.delay(centre_id, iso_year, iso_week)
    queued = len(centre_ids)
    for audience in summary_audiences():
        for centre_id in audience.centre_ids():
            audience_summary_centre_task.delay(audience.code, centre_id, iso_year, iso_week)
            queued += 1
    return queued


@shared_task(acks_late=True)
def weekly_summary_centre_task(centre_id: int, iso_year: int, iso_week: int) -> int:
    return summaries.weekly_summaries_send_for_centre(centre_id=centre_id, iso_year=iso_year, iso_week=iso_week)


@shared_task(acks_late=True)
def audience_summary_centre_task(code: str, centre_id: int, iso_year: int, iso_week: int) -> int:
    return summaries.audience_summaries_send_for_centre(
        code=code, centre_id=centre_id, iso_year=iso_year, iso_week=iso_week
    )
