"""What every background job (report jobs here, bulk uploads in centres) does so that a
worker that dies leaves a job that recovers or fails visibly, never one stuck for ever.
See docs/adr/0020-job-reliability-and-upload-limits.md.

- A job row records `attempts` (times a worker started it) and `heartbeat_at` (queued,
  started, progress). Its task claims it with one conditional UPDATE, so a redelivered or
  re-sent message never runs it twice at once.
- The beat sweeps (`reporting.tasks.report_jobs_sweep_task`, `reporting.tasks.upload_jobs_sweep_task`)
  re-sends jobs queued but not started for `JOB_STALE_AFTER_SECONDS` (their message was
  lost, e.g. Redis was down), and re-queues a started job with no heartbeat for that long,
  or fails it with a message once it has been started `JOB_MAX_ATTEMPTS` times.
- Files (uploaded workbooks, report files) are deleted on every terminal state, and the
  sweep deletes any a dead worker left behind.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 10.0  # seconds: a job that reports progress writes a heartbeat at least this often


def stale_before() -> datetime:
    """A job whose last sign of life is older than this is presumed dead (or its message lost)."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def stale() -> Q:
    """No sign of life since `stale_before()`; a job from before heartbeats (NULL) counts
    from its creation."""
    cutoff = stale_before()
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)


def attempts_left(attempts: int) -> bool:
    return attempts < settings.JOB_MAX_ATTEMPTS


class Heartbeat:
    """Wraps a job's progress callback: calls `write(percent)` (which should also set
    `heartbeat_at`) when the percentage moved by `step` or `HEARTBEAT_EVERY` seconds passed.
    `JOB_PROGRESS_DELAY_SECONDS` (tests only: 0 in production) pauses after each write, so
    a test can kill a worker deterministically in the middle of a job."""

    def __init__(self, write: Callable[[int], None], *, step: int = 1):
        self.write = write
        self.step = step
        self.percent = -step
        self.beat = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, done * 100 // total) if total else 99
        now = time.monotonic()
        if percent >= self.percent + self.step or now - self.beat >= HEARTBEAT_EVERY:
            self.percent = max(percent, self.percent)
            self.beat = now
            self.write(self.percent)
            if settings.JOB_PROGRESS_DELAY_SECONDS:
                time.sleep(settings.JOB_PROGRESS_DELAY_SECONDS)
