"""The email outbox: rows written in the caller's transaction, delivered exactly once.

Runs on SQLite and on PostgreSQL (DATABASE_URL). Tasks run eagerly here (test settings);
test_worker_integration.py covers a real Celery worker and Redis."""

import threading
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core.mail import InvalidMailer, mailers
from django.db import connection, transaction
from django.utils import timezone

from config.settings.env import mailer_from_url
from notifications.models import OutboundEmail
from notifications.services import STALE_CLAIM_AFTER, email_claim, email_deliver, email_send, outbox_due_ids
from notifications.tasks import email_deliver_task, outbox_sweep
from notifications.testing import MAIL_DIR_ENV, FlakyFileBackend, FlakySendError, delivered_messages

TEMPLATE = "notifications/emails/test_ping"
PLAIN_TEMPLATE = "notifications/emails/test_plain"
FAILING = {"default": {"BACKEND": "notifications.testing.FailingBackend"}}

Status = OutboundEmail.Status


def flaky(directory) -> dict:
    return {"default": {"BACKEND": "notifications.testing.FlakyFileBackend", "OPTIONS": {"file_path": str(directory)}}}


def send_ping(**kwargs) -> OutboundEmail:
    kwargs.setdefault("to", ["learner@example.nhs.uk"])
    kwargs.setdefault("template", TEMPLATE)
    kwargs.setdefault("context", {"name": "Ada"})
    return email_send(**kwargs)


def end_backoff(email: OutboundEmail) -> None:
    """Pretend the back-off after a failed attempt is over."""
    OutboundEmail.objects.filter(pk=email.pk).update(send_after=timezone.now() - timedelta(seconds=1))


def make_row(*, created_ago: timedelta = timedelta(0), **fields) -> OutboundEmail:
    """An outbox row as some earlier code path left it (created_at is auto_now_add)."""
    fields = {"template": TEMPLATE, "to": ["learner@example.nhs.uk"], "subject": "S", "text_body": "T", **fields}
    row = OutboundEmail.objects.create(**fields)
    if created_ago:
        OutboundEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - created_ago)
        row.refresh_from_db()
    return row


# --- email_send: the row, and nothing sent before (or without) a commit -------------------------------


@pytest.mark.django_db
def test_email_send_writes_one_rendered_row_and_queues_after_commit(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SERVICE_NAME = "Test Service"
    settings.SITE_URL = "https://platform.test"
    with django_capture_on_commit_callbacks() as callbacks:
        email = email_send(
            to=["b@example.nhs.uk", "a@example.nhs.uk", "b@example.nhs.uk"],
            cc=["c@example.nhs.uk", "a@example.nhs.uk", "c@example.nhs.uk"],
            template=TEMPLATE,
            context={"name": "Ada & <Bob>"},
        )

    row = OutboundEmail.objects.get()
    assert row.pk == email.pk
    assert row.to == ["a@example.nhs.uk", "b@example.nhs.uk"]
    assert row.cc == ["c@example.nhs.uk"]  # duplicates and addresses already in `to` dropped
    # Subject: whitespace and newlines collapsed to single spaces.
    assert row.subject == "Test ping for Ada & <Bob> from Test Service"
    # Plain text is not HTML-escaped; the HTML part is.
    assert row.text_body.startswith("Hello Ada & <Bob>,")
    assert "This is a test message from Test Service (https://platform.test)." in row.text_body
    assert "<p>Hello Ada &amp; &lt;Bob&gt;,</p>" in row.html_body
    assert "<!DOCTYPE html>" in row.html_body  # the shared layout was used
    assert (row.status, row.attempts, row.last_error, row.sent_at, row.claimed_at) == (
        Status.PENDING,
        0,
        "",
        None,
        None,
    )
    assert row.send_after is None
    # Queued once, on commit only; nothing has been sent yet.
    assert len(callbacks) == 1
    assert mailoutbox == []


@pytest.mark.django_db
def test_email_send_without_html_template_leaves_html_body_empty(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        email = email_send(to=["a@example.nhs.uk"], template=PLAIN_TEMPLATE, context={"name": "Ada"})
    email.refresh_from_db()
    assert email.subject == "Plain test note for Ada"
    assert email.text_body == "Note for Ada."
    assert email.html_body == ""


@pytest.mark.django_db
def test_email_send_records_the_centre_code(django_capture_on_commit_callbacks, centre):
    with django_capture_on_commit_callbacks():
        email = send_ping(centre=centre)
    email.refresh_from_db()
    assert email.centre_code == centre.code


def send_ping_then_fail(**kwargs) -> None:
    """A unit of work that writes an email, then fails and rolls back."""
    with transaction.atomic():
        send_ping(**kwargs)
        assert OutboundEmail.objects.count() == 1  # visible inside the transaction
        raise RuntimeError("business rule failed")


@pytest.mark.django_db
def test_rolled_back_transaction_writes_nothing_and_sends_nothing(django_capture_on_commit_callbacks, mailoutbox):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="business rule failed"),
    ):
        send_ping_then_fail()

    assert callbacks == []
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_real_commit_delivers_once_and_real_rollback_sends_nothing(mailoutbox):
    """The same with real COMMIT / ROLLBACK (no test transaction around the test)."""
    with pytest.raises(RuntimeError, match="business rule failed"):
        send_ping_then_fail(to=["rolled-back@example.nhs.uk"])
    assert OutboundEmail.objects.count() == 0
    assert mailoutbox == []

    with transaction.atomic():
        email = send_ping()
        assert mailoutbox == []  # not before the commit
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


# --- delivery ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delivery_after_commit_sends_exactly_one_message(django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Platform <noreply@platform.test>"
    with django_capture_on_commit_callbacks(execute=True):
        email = send_ping(to=["a@example.nhs.uk"], cc=["c@example.nhs.uk"])

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    email.refresh_from_db()
    assert message.subject == email.subject
    assert message.to == ["a@example.nhs.uk"]
    assert message.cc == ["c@example.nhs.uk"]
    assert message.from_email == "Platform <noreply@platform.test>"
    assert message.body == email.text_body
    assert message.alternatives[0].content == email.html_body
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["X-Outbox-Id"] == str(email.public_id)
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 1, "")
    assert email.sent_at is not None


@pytest.mark.django_db
def test_plain_email_is_sent_without_html_alternative(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@example.nhs.uk"], template=PLAIN_TEMPLATE, context={"name": "Ada"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].alternatives == []


@pytest.mark.django_db
def test_send_failure_leaves_row_pending_then_a_second_delivery_succeeds(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MAILERS = flaky(tmp_path)  # first attempt per message fails, later ones are written to tmp_path
    with django_capture_on_commit_callbacks():
        email = send_ping()

    with pytest.raises(FlakySendError):
        email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claimed_at, email.sent_at) == (Status.PENDING, 1, None, None)
    assert email.last_error.startswith("FlakySendError: first attempt")
    assert delivered_messages(tmp_path) == []

    # Backing off: nobody may try again until send_after.
    backoff = email.send_after - timezone.now()
    assert timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS - 5) < backoff
    assert backoff <= timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)
    assert email_deliver(email_id=email.pk) is False
    assert email.pk not in outbox_due_ids(older_than=timedelta(0))

    end_backoff(email)
    assert email_deliver(email_id=email.pk) is True
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")
    [message] = delivered_messages(tmp_path)
    assert message["X-Outbox-Id"] == str(email.public_id)
    assert message["Subject"] == email.subject


@pytest.mark.django_db
def test_send_failure_after_commit_does_not_reach_the_caller_in_eager_mode(
    django_capture_on_commit_callbacks, settings, mailoutbox
):
    """Without Redis the task runs in-process: a mail server error must not break the request;
    the row stays pending for the sweep."""
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        email = send_ping()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.PENDING, 1)
    assert email.last_error.startswith("FlakySendError: mail server unavailable")
    assert email_deliver_task.delay(email.pk).get() is False


@pytest.mark.django_db
def test_row_fails_for_good_after_max_attempts(django_capture_on_commit_callbacks, settings, mailoutbox):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks():
        email = send_ping()

    for attempt in (1, 2):
        with pytest.raises(FlakySendError):
            email_deliver(email_id=email.pk)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.PENDING, attempt)
        # Each failure doubles the back-off.
        expected = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
        assert timedelta(seconds=expected - 5) < email.send_after - timezone.now() <= timedelta(seconds=expected)
        end_backoff(email)
    with pytest.raises(FlakySendError):
        email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 3)
    assert email.last_error

    # A failed row is never picked up again, even once the mail server works.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert email_claim(email_id=email.pk) is None
    assert email_deliver(email_id=email.pk) is False
    assert email.pk not in outbox_due_ids(older_than=timedelta(0))
    assert mailoutbox == []


@pytest.mark.django_db
def test_task_retry_countdown_waits_for_the_rows_backoff(django_capture_on_commit_callbacks, settings, monkeypatch):
    """With a worker (not eager) a failed send retries when the row's back-off is over:
    OUTBOX_RETRY_BASE_SECONDS * 2**(failed attempts - 1), whoever started the attempt."""
    settings.MAILERS = FAILING
    settings.OUTBOX_RETRY_BASE_SECONDS = 5
    with django_capture_on_commit_callbacks():
        email = send_ping()
    retries = []

    def fake_retry(*, exc, countdown):
        retries.append((type(exc), countdown))
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(email_deliver_task, "retry", fake_retry)
    email_deliver_task.push_request(id="test-task", is_eager=False, retries=2)
    try:
        with pytest.raises(Retry):
            email_deliver_task.run(email.pk)
    finally:
        email_deliver_task.pop_request()
    [(error_type, countdown)] = retries
    assert error_type is FlakySendError
    assert 4 < countdown <= 5.5  # first failed attempt: 5 s base (+0.5 s margin)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.PENDING, 1)


# --- claiming: at most one sender per row ---------------------------------------------------------------


@pytest.mark.django_db
def test_delivering_twice_sends_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        email = send_ping()
    assert len(mailoutbox) == 1

    assert email_deliver(email_id=email.pk) is False
    assert email_deliver_task.delay(email.pk).get() is False
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "claimed_ago"),
    [
        (Status.SENDING, timedelta(0)),  # another worker is sending it right now
        (Status.SENDING, STALE_CLAIM_AFTER - timedelta(minutes=1)),  # ... and has not timed out yet
        (Status.SENT, None),
        (Status.FAILED, None),
    ],
)
def test_claim_refuses_rows_in_hand_or_done(status, claimed_ago, mailoutbox):
    claimed_at = timezone.now() - claimed_ago if claimed_ago is not None else None
    row = make_row(status=status, claimed_at=claimed_at, attempts=1)

    assert email_claim(email_id=row.pk) is None
    assert email_deliver(email_id=row.pk) is False
    assert mailoutbox == []
    unchanged = OutboundEmail.objects.get(pk=row.pk)
    assert (unchanged.status, unchanged.claimed_at, unchanged.attempts) == (status, claimed_at, 1)


@pytest.mark.django_db
def test_claim_marks_row_sending(mailoutbox):
    row = make_row()
    claimed = email_claim(email_id=row.pk)
    assert claimed is not None
    assert claimed.status == Status.SENDING
    assert claimed.claimed_at is not None
    assert email_claim(email_id=row.pk) is None  # a second worker gets nothing
    assert mailoutbox == []


@pytest.mark.django_db
def test_stale_claim_is_claimed_again_and_delivered(mailoutbox):
    """A worker that died mid-send leaves the row `sending`; after STALE_CLAIM_AFTER it is fair game."""
    old_claim = timezone.now() - STALE_CLAIM_AFTER - timedelta(minutes=1)
    row = make_row(status=Status.SENDING, claimed_at=old_claim)

    claimed = email_claim(email_id=row.pk)
    assert claimed is not None
    assert claimed.status == Status.SENDING
    assert claimed.claimed_at > old_claim + STALE_CLAIM_AFTER

    OutboundEmail.objects.filter(pk=row.pk).update(claimed_at=old_claim)
    assert email_deliver(email_id=row.pk) is True
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)


@pytest.mark.django_db
def test_claim_of_missing_row_is_none():
    assert email_claim(email_id=987654) is None
    assert email_deliver(email_id=987654) is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_send_each_row_once(mailoutbox):
    """Several workers racing for the same rows (real connections, real commits): the
    UPDATE ... WHERE status = 'pending' claim lets exactly one of them send each row."""
    workers = 8
    rows = [make_row(subject=f"Race {n}") for n in range(10)]
    results: list[bool] = []
    errors: list[BaseException] = []

    def deliver(email_id, barrier):
        try:
            barrier.wait(timeout=10)
            results.append(email_deliver(email_id=email_id))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    for row in rows:
        barrier = threading.Barrier(workers)
        threads = [threading.Thread(target=deliver, args=(row.pk, barrier)) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)

    assert errors == []
    assert results.count(True) == len(rows)
    assert results.count(False) == len(rows) * (workers - 1)
    assert sorted(message.subject for message in mailoutbox) == sorted(row.subject for row in rows)
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


# --- scheduled emails -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheduled_email_is_not_sent_until_due(django_capture_on_commit_callbacks, mailoutbox):
    send_after = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = send_ping(send_after=send_after)
    assert callbacks == []  # nothing queued for a future email
    assert mailoutbox == []
    email.refresh_from_db()
    assert (email.status, email.send_after) == (Status.PENDING, send_after)

    # Too early: even an explicit delivery or a sweep leaves it alone.
    assert email_claim(email_id=email.pk) is None
    assert email_deliver(email_id=email.pk) is False
    assert email.pk not in outbox_due_ids(older_than=timedelta(0))
    assert outbox_sweep.delay().get() == 0
    assert mailoutbox == []

    # The hour has passed: the sweep sends it.
    OutboundEmail.objects.filter(pk=email.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    assert outbox_due_ids() == [email.pk]
    assert outbox_sweep.delay().get() == 1
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


@pytest.mark.django_db
def test_email_with_send_after_in_the_past_is_queued_at_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_ping(send_after=timezone.now() - timedelta(minutes=1))
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1


# --- the sweep --------------------------------------------------------------------------------------------


@pytest.fixture
def sweep_rows(db):
    """One row for each case the sweep must (or must not) pick up."""
    now = timezone.now()
    old = timedelta(minutes=10)
    return {
        # due
        "old_pending": make_row(created_ago=old),  # never queued (Redis was down)
        "old_retrying": make_row(created_ago=old, attempts=2, last_error="Boom", send_after=now - timedelta(seconds=1)),
        "due_scheduled": make_row(send_after=now - timedelta(seconds=1)),
        "stale_claim": make_row(
            created_ago=old, status=Status.SENDING, claimed_at=now - STALE_CLAIM_AFTER - timedelta(seconds=1)
        ),
        # not due
        "fresh_pending": make_row(),  # its own task is (presumably) on its way
        "future_scheduled": make_row(created_ago=old, send_after=now + timedelta(minutes=5)),
        "backing_off": make_row(created_ago=old, attempts=1, last_error="Boom", send_after=now + timedelta(seconds=30)),
        "fresh_claim": make_row(created_ago=old, status=Status.SENDING, claimed_at=now - timedelta(minutes=1)),
        "sent": make_row(created_ago=old, status=Status.SENT, attempts=1, sent_at=now - old),
        "failed": make_row(created_ago=old, status=Status.FAILED, attempts=8),
    }


DUE = ["old_pending", "old_retrying", "due_scheduled", "stale_claim"]


def test_outbox_due_ids_picks_only_rows_that_should_have_gone(sweep_rows):
    assert outbox_due_ids() == sorted(sweep_rows[name].pk for name in DUE)


def test_outbox_due_ids_older_than(sweep_rows):
    due = outbox_due_ids(older_than=timedelta(0))
    assert sweep_rows["fresh_pending"].pk in due
    assert sweep_rows["future_scheduled"].pk not in due
    assert outbox_due_ids(older_than=timedelta(hours=1)) == sorted(
        # rows with a send_after that has passed (scheduled, or back-off over) are due at any age
        sweep_rows[name].pk
        for name in ("old_retrying", "due_scheduled", "stale_claim")
    )


def test_outbox_sweep_queues_each_due_row_once(sweep_rows, monkeypatch):
    queued = []
    monkeypatch.setattr(email_deliver_task, "delay", lambda email_id: queued.append(email_id))
    assert outbox_sweep() == len(DUE)
    assert queued == sorted(sweep_rows[name].pk for name in DUE)


def test_outbox_sweep_delivers_due_rows_and_leaves_the_rest(sweep_rows, mailoutbox):
    assert outbox_sweep.delay().get() == len(DUE)

    assert sorted(message.extra_headers["X-Outbox-Id"] for message in mailoutbox) == sorted(
        str(sweep_rows[name].public_id) for name in DUE
    )
    for name, row in sweep_rows.items():
        after = OutboundEmail.objects.get(pk=row.pk)
        if name in DUE:
            assert after.status == Status.SENT, name
            assert after.attempts == row.attempts + 1, name
        else:
            assert (after.status, after.attempts) == (row.status, row.attempts), name

    # Nothing left to do: a second sweep sends nothing more.
    assert outbox_sweep.delay().get() == 0
    assert len(mailoutbox) == len(DUE)


# --- EMAIL_URL and the test backend -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "notifications.testing.FlakyFileBackend://",
            {"BACKEND": "notifications.testing.FlakyFileBackend", "OPTIONS": {}},
        ),
        (
            "notifications.testing.FlakyFileBackend://?file_path=/srv/mail%20dir",
            {"BACKEND": "notifications.testing.FlakyFileBackend", "OPTIONS": {"file_path": "/srv/mail dir"}},
        ),
        (
            "file:///var/mail/out",
            {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": "/var/mail/out"}},
        ),
        ("locmem://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
    ],
)
def test_mailer_from_url(url, expected):
    assert mailer_from_url(url) == expected


def test_mailer_from_url_rejects_unknown_scheme():
    with pytest.raises(ValueError, match="not supported"):
        mailer_from_url("carrier-pigeon://loft")


def test_flaky_backend_from_email_url_uses_option_or_env(settings, tmp_path, monkeypatch):
    settings.MAILERS = {
        "default": mailer_from_url(f"notifications.testing.FlakyFileBackend://?file_path={tmp_path / 'a'}")
    }
    backend = mailers.default
    assert isinstance(backend, FlakyFileBackend)
    assert backend.directory == tmp_path / "a"

    settings.MAILERS = {"default": mailer_from_url("notifications.testing.FlakyFileBackend://")}
    monkeypatch.setenv(MAIL_DIR_ENV, str(tmp_path / "b"))
    assert mailers.default.directory == tmp_path / "b"

    monkeypatch.delenv(MAIL_DIR_ENV)
    with pytest.raises(InvalidMailer, match="needs a folder"):
        mailers.default  # noqa: B018


def test_flaky_backend_fails_first_attempt_per_message_across_instances(tmp_path):
    from django.core.mail import EmailMessage

    def message(outbox_id):
        return EmailMessage(
            "Hi", "Body", "from@example.nhs.uk", ["to@example.nhs.uk"], headers={"X-Outbox-Id": outbox_id}
        )

    with pytest.raises(FlakySendError):
        FlakyFileBackend(file_path=str(tmp_path)).send_messages([message("one")])
    # A new instance (another process, in real life) sees the marker and delivers.
    assert FlakyFileBackend(file_path=str(tmp_path)).send_messages([message("one")]) == 1
    with pytest.raises(FlakySendError):
        FlakyFileBackend(file_path=str(tmp_path)).send_messages([message("two")])
    assert FlakyFileBackend(file_path=str(tmp_path)).send_messages([message("one")]) == 1
    assert [m["X-Outbox-Id"] for m in delivered_messages(tmp_path)] == ["one", "one"]  # duplicates stay visible


def test_beat_runs_the_outbox_sweep_every_five_minutes(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["schedule"] == 300.0
    assert entry["task"] == outbox_sweep.name
    assert outbox_sweep.name in app.tasks
