"""Issue 16 item 5 with a REAL Celery worker (tests/celery_worker.py: Redis broker, the test
PostgreSQL database, emails delivered as files): "Send to all" only queues the work in the
request; the welcome links and emails are written by the worker, once, however many times
the check page is confirmed; and every emailed link works."""

import hashlib
import re

import pytest

from centres.models import WelcomeLink
from centres.roles import Role
from centres.tests.test_mass_actions import SEND_ALL, WELCOME, confirm, job_page, unclaimed
from notifications.models import OutboundEmail
from notifications.testing import delivered_messages
from reporting.models import ReportJob
from tests.factories import CentreFactory, MembershipFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 5
LINK = re.compile(r"/welcome/([A-Za-z0-9_-]+)/")


def test_send_to_all_is_queued_by_the_request_and_sent_once_by_the_worker(worker, broker, mail_dir, login_as):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = login_as(admin.user, centre)
    people = unclaimed(centre, PEOPLE)
    first_tab = client.get(SEND_ALL).content.decode()
    second_tab = client.get(SEND_ALL).content.decode()
    assert f"{PEOPLE} people will be emailed" in first_tab

    # No worker while the requests run: whatever is written now is written by the request.
    worker.kill()
    # Setting up sends emails of its own (a role granted); drop them and what the dead worker
    # held, so the count below is what the requests queued.
    broker.purge()
    responses = [
        confirm(client, SEND_ALL, first_tab),
        confirm(client, SEND_ALL, first_tab),  # a double click: the same form again
        confirm(client, SEND_ALL, second_tab),  # a second tab
    ]
    job = ReportJob.objects.get()
    assert {response["Location"] for response in responses} == {job_page(job)}
    assert job.status == ReportJob.Status.QUEUED
    assert not WelcomeLink.objects.exists()
    assert not OutboundEmail.objects.filter(template=WELCOME).exists()
    assert broker.pending() == 1  # one message: the batch
    waiting = client.get(job_page(job)).content.decode()
    assert 'role="status"' in waiting
    assert "<strong>0%</strong> done" in waiting

    worker.start_again()

    def finished():
        job.refresh_from_db()
        return job.is_finished

    worker.wait_for("the worker to run the batch", finished)
    assert (job.status, job.outcome) == ("done", f"Welcome email sent to {PEOPLE} delegates.")
    assert f"Welcome email sent to {PEOPLE} delegates." in client.get(job_page(job)).content.decode()
    # The worker wrote the links and the outbox rows and delivered each email, exactly once
    # (the first delivery attempt of every email fails: FlakyFileBackend).
    emails = sorted(m.user.email for m in people)

    def welcome_messages():  # (the factories' role grants email the administrator too)
        return [message for message in delivered_messages(mail_dir) if message["To"] in emails]

    worker.wait_for("every welcome email to be delivered", lambda: len(welcome_messages()) >= PEOPLE)
    messages = welcome_messages()
    assert sorted(message["To"] for message in messages) == emails
    for message in messages:
        [token] = set(LINK.findall(message.get_body(("plain",)).get_content()))
        link = WelcomeLink.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
        assert link.membership.user.email == message["To"]
        assert link.used_at is None
        assert link.expires_at > job.finished_at
    assert WelcomeLink.objects.count() == PEOPLE
    assert OutboundEmail.objects.filter(template=WELCOME).count() == PEOPLE
