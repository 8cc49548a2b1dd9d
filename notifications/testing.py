"""Email backends and helpers for tests of the outbox. Never used in production settings.

`FlakyFileBackend` fails the first attempt to send each message and writes every later
attempt as an `.eml` file. It keeps its state (which messages were tried) as marker files
in the mail folder, so it behaves the same across processes: a test can give a real Celery
worker `EMAIL_URL=notifications.testing.FlakyFileBackend://?file_path=/some/dir` (or set
`FLAKY_MAIL_DIR`) and then count the files to prove an email went out exactly once.
"""

import hashlib
import os
import re
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedMessage
from pathlib import Path

from django.core.mail import InvalidMailer
from django.core.mail.backends.base import BaseEmailBackend

from notifications.models import NotificationSubscription

OUTBOX_ID_HEADER = "X-Outbox-Id"
MAIL_DIR_ENV = "FLAKY_MAIL_DIR"
DELIVERED_SUFFIX = ".eml"
ATTEMPT_SUFFIX = ".attempted"


class FlakySendError(ConnectionError):
    """The deliberate failure raised by the test backends (stands in for an SMTP error)."""


class FailingBackend(BaseEmailBackend):
    """Every send fails, like a mail server that is down."""

    def send_messages(self, email_messages):
        raise FlakySendError("mail server unavailable (notifications.testing.FailingBackend)")


def message_key(message) -> str:
    """A file-name-safe key for one logical email: its outbox id when it has one."""
    outbox_id = message.extra_headers.get(OUTBOX_ID_HEADER, "")
    if outbox_id:
        return re.sub(r"[^A-Za-z0-9-]", "_", outbox_id)
    # No outbox id (an email not sent through the outbox): key on the content instead.
    # Not message.message(): that adds a fresh Date and Message-ID on every call.
    content = "\n".join([message.subject, ",".join(message.to), ",".join(message.cc), message.body])
    return "content-" + hashlib.sha256(content.encode()).hexdigest()[:32]


class FlakyFileBackend(BaseEmailBackend):
    """Fail the FIRST attempt for each message, deliver (write a file) on every later one.

    Folder: OPTIONS `file_path`, else the `FLAKY_MAIL_DIR` environment variable. Each
    delivery is its own `<key>-<random>.eml` file, so a duplicate send shows up as two
    files rather than overwriting one. The first-attempt marker is created with O_EXCL,
    so exactly one attempt fails even when several processes race."""

    def __init__(self, *, file_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        path = file_path or os.environ.get(MAIL_DIR_ENV)
        if not path:
            raise InvalidMailer(
                f"FlakyFileBackend needs a folder: OPTIONS 'file_path' or ${MAIL_DIR_ENV}.", alias=self.alias
            )
        self.directory = Path(path).resolve()
        self.directory.mkdir(parents=True, exist_ok=True)

    def _first_attempt(self, key: str) -> bool:
        try:
            fd = os.open(self.directory / f"{key}{ATTEMPT_SUFFIX}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.close(fd)
        return True

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            key = message_key(message)
            if self._first_attempt(key):
                raise FlakySendError(f"first attempt for {key} fails on purpose (FlakyFileBackend)")
            name = f"{key}-{uuid.uuid4().hex}"
            # Write then rename, so a test polling the folder never reads half a file.
            temporary = self.directory / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, self.directory / f"{name}{DELIVERED_SUFFIX}")
            sent += 1
        return sent


def delivered_files(directory: str | os.PathLike) -> list[Path]:
    """Every message FlakyFileBackend delivered to `directory`, oldest name first."""
    return sorted(Path(directory).glob(f"*{DELIVERED_SUFFIX}"))


def delivered_messages(directory: str | os.PathLike) -> list[ParsedMessage]:
    """The delivered messages, parsed (headers by name, `get_body()` for the text)."""
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in delivered_files(directory)]


def subscribe(user, centre, kind: str) -> NotificationSubscription:
    """Turn one notification preference on (what ticking it on My account does)."""
    return NotificationSubscription.objects.get_or_create(user=user, centre=centre, kind=kind)[0]


def unsubscribe(user, centre, kind: str) -> None:
    """Turn one notification preference off (what unticking it on My account does)."""
    NotificationSubscription.objects.filter(user=user, centre=centre, kind=kind).delete()
