"""Queue a Celery task after the caller's transaction commits, without failing the request
when the broker (Redis) is down.

The work is already saved when the task is queued (an outbox row, a queued report or import
job), and a beat sweep queues whatever was left behind: the outbox sweep sends the email,
the job sweeps start the job. So a broker error is logged and swallowed; the person's
action succeeds. After one failure this process skips the broker for
BROKER_DOWN_BACKOFF_SECONDS, so "send to all" during an outage does not wait on every row."""

import logging
import time

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

_broker_down_until = 0.0


def task_dispatch(task, *args) -> bool:
    """`task.delay(*args)` now; False (and a log line) when the broker refused it."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker down: %s%r not queued now; the sweep queues it later", task.name, args)
        return False
    try:
        task.delay(*args)
    except Exception as error:  # kombu OperationalError, redis errors, socket errors
        _broker_down_until = time.monotonic() + settings.BROKER_DOWN_BACKOFF_SECONDS
        logger.warning("Broker down: %s%r not queued (%s); the sweep queues it later", task.name, args, error)
        return False
    _broker_down_until = 0.0
    return True


def task_dispatch_on_commit(task, *args) -> None:
    """Queue `task` with `args` once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: task_dispatch(task, *args))
