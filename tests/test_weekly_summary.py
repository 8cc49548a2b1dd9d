"""ADR 0026: the weekly summary: what waits for each subscriber at each centre, once per
ISO week, never empty, only the sections the person's current roles allow."""

import pytest
from django.conf import settings

from centres.models import BulkUpload, RoleAssignment
from centres.roles import Role
from centres.services.roles import role_revoke
from config.celery import app as celery_app
from notifications.models import OutboundEmail, WeeklySummary
from notifications.registry import WEEKLY_SUMMARY
from notifications.summaries import iso_week_of, summary_entries, weekly_summaries_send_for_centre
from notifications.tasks import weekly_summaries_send_task
from notifications.testing import delivered_messages, subscribe
from passports.models import SignOff
from passports.tests.test_supervisor_data import all_confirmed, request_build, world_build
from support.models import SupportTicket
from tests.factories import MembershipFactory, grant_role

TEMPLATE = "notifications/emails/weekly_summary"


def _summaries(address: str | None = None) -> list[OutboundEmail]:
    emails = OutboundEmail.objects.filter(template=TEMPLATE)
    if address is not None:
        emails = emails.filter(to=[address.lower()])
    return list(emails)


def _send(centre) -> int:
    iso_year, iso_week = iso_week_of()
    return weekly_summaries_send_for_centre(centre_id=centre.pk, iso_year=iso_year, iso_week=iso_week)


def _waiting_for_an_administrator(centre, administrator):
    MembershipFactory(centre=centre, unapproved=True)
    MembershipFactory(centre=centre, unapproved=True)
    BulkUpload.objects.create(
        centre=centre, uploaded_by=administrator, file_name="staff.xlsx", status=BulkUpload.Status.PREVIEW
    )
    SupportTicket.objects.create(
        centre=centre,
        raised_by=administrator,
        subject="Help",
        detail="Please",
        category=SupportTicket.Category.OTHER,
        status=SupportTicket.Status.ANSWERED,
    )


@pytest.fixture
def world(centre):
    world = world_build(centre=centre)
    request_build(world.enrolment, world.educator.user, list(world.enrolment.results.all()[:2]))
    return world


@pytest.mark.django_db
def test_an_administrator_gets_their_sections(centre):
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    _waiting_for_an_administrator(centre, administrator)
    subscribe(administrator, centre, WEEKLY_SUMMARY)

    assert _send(centre) == 1
    [email] = _summaries(administrator.email)
    assert email.subject == f"Your weekly summary for {centre.name}"
    assert "2 registrations awaiting approval" in email.text_body
    assert "/centre/registrations/" in email.text_body
    assert "1 bulk upload checked but not confirmed" in email.text_body
    assert "1 support ticket answered by the platform team" in email.text_body
    assert "confirmation request" not in email.text_body  # not an assessor or educator
    assert email.centre_code == centre.code


@pytest.mark.django_db
def test_an_educator_gets_the_requests_sent_to_them(world):
    educator = world.educator.user
    all_confirmed(world.enrolment, world.assessor.user)
    SignOff.objects.create(centre=world.centre, enrolment=world.enrolment, educator=educator)
    MembershipFactory(centre=world.centre, unapproved=True)  # not theirs to approve
    subscribe(educator, world.centre, WEEKLY_SUMMARY)

    _send(world.centre)
    [email] = _summaries(educator.email)
    assert "1 confirmation request waiting for you" in email.text_body
    assert "1 sign-off request waiting for you" in email.text_body
    assert "/passports/supervise/" in email.text_body
    assert "registration" not in email.text_body
    assert "1 confirmation request waiting for you" in email.html_body


@pytest.mark.django_db
def test_nothing_waiting_means_no_email(centre):
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    subscribe(administrator, centre, WEEKLY_SUMMARY)
    assert _send(centre) == 0
    assert _summaries() == []
    assert not WeeklySummary.objects.exists()  # a later run this week may still send one


@pytest.mark.django_db
def test_preference_off_means_no_email(centre):
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    _waiting_for_an_administrator(centre, administrator)
    assert _send(centre) == 0
    assert _summaries() == []


@pytest.mark.django_db
def test_twice_in_a_week_sends_once_and_next_week_again(centre):
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    _waiting_for_an_administrator(centre, administrator)
    subscribe(administrator, centre, WEEKLY_SUMMARY)
    iso_year, iso_week = iso_week_of()

    assert weekly_summaries_send_for_centre(centre_id=centre.pk, iso_year=iso_year, iso_week=iso_week) == 1
    assert weekly_summaries_send_for_centre(centre_id=centre.pk, iso_year=iso_year, iso_week=iso_week) == 0
    assert weekly_summaries_send_task() == 1  # the beat task fans out to this centre; sends nothing more
    assert len(_summaries()) == 1
    summary = WeeklySummary.objects.get()
    assert (summary.user, summary.centre, summary.iso_week) == (administrator, centre, iso_week)
    assert summary.outbox_email == _summaries()[0]

    assert weekly_summaries_send_for_centre(centre_id=centre.pk, iso_year=iso_year, iso_week=iso_week % 52 + 1) == 1
    assert len(_summaries()) == 2


@pytest.mark.django_db
def test_a_lost_role_loses_its_section(world):
    educator = world.educator.user
    manager = MembershipFactory(centre=world.centre, role=Role.CENTRE_MANAGER).user
    MembershipFactory(centre=world.centre, unapproved=True)
    assignment = grant_role(educator, world.centre, Role.ADMINISTRATOR)
    entries = [entry.text for entry in summary_entries(user=educator, centre=world.centre)]
    assert entries == ["1 registration awaiting approval", "1 confirmation request waiting for you"]

    role_revoke(assignment=assignment, revoked_by=manager)
    educator.refresh_from_db()
    entries = [entry.text for entry in summary_entries(user=educator, centre=world.centre)]
    assert entries == ["1 confirmation request waiting for you"]


@pytest.mark.django_db
def test_a_subscriber_who_lost_every_allowing_role_gets_nothing(world):
    educator = world.educator.user
    manager = MembershipFactory(centre=world.centre, role=Role.CENTRE_MANAGER).user
    subscribe(educator, world.centre, WEEKLY_SUMMARY)
    role_revoke(assignment=RoleAssignment.objects.get(user=educator, role=Role.EDUCATOR), revoked_by=manager)
    assert _send(world.centre) == 0
    assert _summaries() == []


def _delivered_summaries(mail_dir) -> list:
    """Summaries the worker delivered (role grants and registrations email too)."""
    return [message for message in delivered_messages(mail_dir) if "weekly summary" in message["Subject"]]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_beat_entry_runs_on_a_real_worker_and_sends_once(worker, broker, mail_dir, centre):
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    _waiting_for_an_administrator(centre, administrator)
    subscribe(administrator, centre, WEEKLY_SUMMARY)
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-summaries"]

    first = celery_app.send_task(entry["task"])
    worker.wait_for_task(first.id)
    worker.wait_for("the summary to be delivered", lambda: _delivered_summaries(mail_dir))
    second = celery_app.send_task(entry["task"])  # a re-run in the same week
    worker.wait_for_task(second.id)
    worker.wait_for("the worker to finish every task", lambda: broker.pending() == 0)

    [message] = _delivered_summaries(mail_dir)
    assert message["To"] == administrator.email.lower()
    assert message["Subject"] == f"Your weekly summary for {centre.name}"
    assert "2 registrations awaiting approval" in message.get_body(("plain",)).get_content()
    assert WeeklySummary.objects.count() == 1
