"""A REAL Celery worker for integration tests: `worker` (a subprocess on the pytest test
database and our own Redis database) and `broker`. Loaded as a plugin by the root conftest.

Isolation: the worker and this process use their own Redis database (OUTBOX_TEST_REDIS_DB,
default 15, on the host from REDIS_URL). Its Celery queue is emptied before and after each
test, so tasks left by other runs cannot reach this worker, and ours cannot reach theirs.
The worker shares the test process's MEDIA_ROOT, so uploaded and generated files are seen by
both.
"""

import os
import signal
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
from django.db import connection

from config.celery import app as celery_app

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
    def __init__(self, log_path: Path, process: subprocess.Popen, start=None):
        self.log_path = log_path
        self.process = process
        self._start = start  # starts one more worker process with the same command and env

    def kill(self) -> None:
        """SIGKILL the worker (solo pool: the process running the task), as the kernel's OOM
        killer or a lost host would: no warm shutdown, no acknowledgement, no clean-up."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def start_again(self) -> None:
        """A fresh worker process after `kill` (its log appended to the same file)."""
        ready = self.log().count(" ready.")
        self.process = self._start()
        self.wait_for("the worker to start again", lambda: self.log().count(" ready.") > ready)

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
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)
    command = [
        str(CELERY), "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", QUEUE,
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-n", f"test-worker-{uuid.uuid4().hex[:8]}@%h", "-l", "info",
    ]  # fmt: skip

    def start() -> subprocess.Popen:
        with log_path.open("ab") as log_file:
            # The command is our own venv's celery with fixed arguments, no outside input.
            return subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    worker = Worker(log_path, start(), start)
    process = worker.process
    try:
        worker.wait_for("the worker to start", lambda: " ready." in worker.log())
        with _celery_publishes_to(broker.url):
            yield worker
    finally:
        process = worker.process  # the last one started
        if process.poll() is None:
            process.terminate()  # warm shutdown
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        # Captured by pytest and shown when the test fails.
        print(f"----- celery worker log ({log_path}) -----\n{worker.log()}")
