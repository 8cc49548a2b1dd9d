"""eLearning background jobs (Celery beat, config/settings/base.py CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from elearning.services.invitations import invitations_expire


@shared_task
def invitations_expire_task() -> int:
    """Daily (E2): pending invitations past their date become expired. Safe to run twice."""
    return invitations_expire()
