"""The outbox with a REAL Celery worker, Redis broker and PostgreSQL.

A worker subprocess (`celery -A config worker --pool=solo`) runs against the pytest test
database, with `notifications.testing.FlakyFileBackend` as its mail backend: the first
attempt for every email fails, the retry (1 s, from OUTBOX_RETRY_BASE_SECONDS) delivers it
as a file. Counting files proves each email went out exactly once.

Isolation: the worker and this process use their own Redis database (OUTBOX_TEST_REDIS_DB,
default 15, on the host from REDIS_URL). Its Celery queue is emptied before and after each
test, so tasks left by other runs cannot reach this worker, and ours cannot reach theirs.
"""

import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import OutboundEmail
from notifications.services import email_send
from notifications.tasks import email_deliver_task, outbox_sweep
from notifications.testing import delivered_messages

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TEMPLATE = "notifications/emails/test_ping"
TIMEOUT = 30.0  # seconds; every wait polls and fails loudly, with the worker log, after this
POLL = 0.1
QUEUE = "celery"  # the default queue, inside our own Redis database
CELERY = Path(sys.executable).with_name("celery")


def _worker_redis_url() -> str:
    configured = urlsplit(os.environ["REDIS_URL"])
    db = int(os.environ.get("OUTBOX_TEST_REDIS_DB", "15"))
    if configured.path.strip("/") == str(db):
        pytest.fail(f"REDIS_URL already uses Redis database {db}; set OUTBOX_TEST_REDIS_DB to a spare one.")
    return urlunsplit(configured._replace(path=f"/{db}"))


def _test_database_url() -> str:
    """The test process's database (test_platform), as a DATABASE_URL for the worker."""
    db = connection.settings_dict
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        host = quote(host, safe="")
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


class Broker:
    """Our Redis database as kombu's Redis transport lays it out."""

    def __init__(self, url: str):
        self.url = url
        self.client = redis.Redis.from_url(url)

    def purge(self) -> None:
        # The queue (and its priority sub-queues) plus messages a dead worker held.
        keys = [*self.client.scan_iter(f"{QUEUE}*"), "unacked", "unacked_index", "unacked_mutex"]
        self.client.delete(*keys)

    def pending(self) -> int:
        """Messages waiting in the queue or held (reserved, scheduled, running) by a worker."""
        queued = sum(
            self.client.llen(key) for key in self.client.scan_iter(f"{QUEUE}*") if self.client.type(key) == b"list"
        )
        return queued + self.client.hlen("unacked")


class Worker:
    def __init__(self, log_path: Path, process: subprocess.Popen):
        self.log_path = log_path
        self.process = process

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def fail(self, reason: str):
        pytest.fail(f"{reason}\n----- celery worker log ({self.log_path}) -----\n{self.log()}", pytrace=False)

    def wait_for(self, what: str, predicate, timeout: float = TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            if self.process.poll() is not None:
                self.fail(f"The worker exited (code {self.process.returncode}) while waiting for {what}.")
            time.sleep(POLL)
        self.fail(f"Timed out after {timeout:.0f} s waiting for {what}.")

    def wait_for_task(self, task_id: str) -> str:
        """Wait until the worker logged the end of task `task_id`; return that log line."""
        needle = f"[{task_id}] succeeded in "

        def finished():
            return next((line for line in self.log().splitlines() if needle in line), None)

        return self.wait_for(f"task {task_id} to succeed", finished)


@contextmanager
def _celery_publishes_to(broker_url: str):
    """Make this (test) process send tasks to Redis instead of running them eagerly."""
    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}

    def reset_connection_pools():
        # Celery caches its connection and producer pools (kombu keeps them in a global
        # registry by URL); close and forget them all so the new URL applies.
        kombu.pools.reset()
        celery_app._after_fork()

    celery_app.conf.broker_url = broker_url
    celery_app.conf.task_always_eager = False
    reset_connection_pools()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_connection_pools()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def broker():
    broker = Broker(_worker_redis_url())
    broker.purge()
    yield broker
    broker.purge()


@pytest.fixture
def worker(transactional_db, broker, mail_dir, tmp_path):
    """A real worker on the test database; always stopped (and its log printed) at teardown."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        # Not config.settings.test: that forces eager tasks and the locmem mail backend.
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker.url,
        "EMAIL_URL": f"notifications.testing.FlakyFileBackend://?file_path={quote(str(mail_dir))}",
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)
    command = [
        str(CELERY), "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", QUEUE,
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-n", f"outbox-test-{uuid.uuid4().hex[:8]}@%h", "-l", "info",
    ]  # fmt: skip
    with log_path.open("wb") as log_file:
        # The command is our own venv's celery with fixed arguments, no outside input.
        process = subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(log_path, process)
    try:
        worker.wait_for("the worker to start", lambda: " ready." in worker.log())
        with _celery_publishes_to(broker.url):
            yield worker
    finally:
        if process.poll() is None:
            process.terminate()  # warm shutdown
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        # Captured by pytest and shown when the test fails.
        print(f"----- celery worker log ({log_path}) -----\n{worker.log()}")


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
