"""The outbox with a REAL Celery worker, Redis broker and PostgreSQL.

A worker subprocess (`tests/celery_worker.py`: `celery -A config worker --pool=solo`) runs
against the pytest test database, with `notifications.testing.FlakyFileBackend` as its mail
backend: the first attempt for every email fails, the retry (1 s, from
OUTBOX_RETRY_BASE_SECONDS) delivers it as a file. Counting files proves each email went out
exactly once.
"""

import re

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import email_send
from notifications.tasks import email_deliver_task, outbox_sweep
from notifications.testing import delivered_messages

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEMPLATE = "notifications/emails/test_ping"


def _wait_until_sent(worker, email: OutboundEmail) -> OutboundEmail:
    def sent():
        email.refresh_from_db()
        return email.status == OutboundEmail.Status.SENT

    worker.wait_for(f"email {email.pk} to be sent", sent)
    return email


def _wait_until_drained(worker, broker) -> None:
    """No task left anywhere (queued, scheduled for a retry, or running), three polls running."""
    idle_polls = 0

    def drained():
        nonlocal idle_polls
        idle_polls = idle_polls + 1 if broker.pending() == 0 else 0
        return idle_polls >= 3

    worker.wait_for("the worker to finish every task", drained)


def test_email_send_is_delivered_exactly_once_by_the_worker_despite_a_failed_first_attempt(worker, broker, mail_dir):
    with transaction.atomic():
        email = email_send(to=["learner@example.nhs.uk"], template=TEMPLATE, context={"name": "Ada"})
        assert broker.pending() == 0  # nothing is queued before the commit

    email = _wait_until_sent(worker, email)
    _wait_until_drained(worker, broker)

    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 2, "")
    assert email.sent_at is not None
    [message] = delivered_messages(mail_dir)
    assert message["X-Outbox-Id"] == str(email.public_id)
    assert message["To"] == "learner@example.nhs.uk"
    assert message["Subject"] == email.subject
    assert "Hello Ada," in message.get_body(("plain",)).get_content()
    # The first attempt really failed and the retry came after OUTBOX_RETRY_BASE_SECONDS.
    assert (mail_dir / f"{email.public_id}.attempted").exists()
    assert re.search(r"Retry in 1(\.\d+)?s: FlakySendError", worker.log())

    # Queuing it again (a duplicate message, a late retry) sends nothing more.
    duplicate = email_deliver_task.delay(email.pk)
    assert worker.wait_for_task(duplicate.id).endswith(": False")
    assert len(delivered_messages(mail_dir)) == 1
    email.refresh_from_db()
    assert email.attempts == 2


def test_outbox_sweep_on_the_worker_delivers_a_never_queued_row_exactly_once(worker, broker, mail_dir):
    # A row whose task was never queued (say Redis was down when it committed).
    email = OutboundEmail.objects.create(
        template=TEMPLATE, to=["learner@example.nhs.uk"], subject="Swept", text_body="Found by the sweep."
    )
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=10))

    # Two sweeps back to back both see the row pending, so it is queued twice: the claim
    # must still let only one send happen.
    first, second = outbox_sweep.delay(), outbox_sweep.delay()
    assert worker.wait_for_task(first.id).endswith(": 1")
    worker.wait_for_task(second.id)
    email = _wait_until_sent(worker, email)
    _wait_until_drained(worker, broker)

    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 2, "")
    [message] = delivered_messages(mail_dir)
    assert message["X-Outbox-Id"] == str(email.public_id)
    assert message["Subject"] == "Swept"

    # Nothing is due any more.
    again = outbox_sweep.delay()
    assert worker.wait_for_task(again.id).endswith(": 0")
    assert len(delivered_messages(mail_dir)) == 1
