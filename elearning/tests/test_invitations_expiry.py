"""E2: the daily expiry job and the weekly-summary section "Invitations awaiting a response"."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.notification_rules import kinds_allowed
from centres.roles import Role
from elearning.models import Invitation
from elearning.notifications import invitations_awaiting_response
from elearning.services.invitations import invitation_withdraw, invitations_expire
from elearning.tasks import invitations_expire_task
from notifications.models import NotificationSubscription
from notifications.registry import WEEKLY_SUMMARY
from notifications.summaries import iso_week_of, summary_entries, weekly_summary_send
from tests.factories import MembershipFactory

from .invitation_helpers import invite, site_with_authoriser

pytestmark = pytest.mark.django_db


def _age(invitation, days_left: float):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=days_left))


def test_the_daily_job_expires_pending_invitations_past_their_date(django_assert_num_queries):
    site, authoriser = site_with_authoriser()
    other, other_authoriser = site_with_authoriser()
    late = [invite(site, authoriser, email=f"late{index}@example.org")[0] for index in range(3)]
    late.append(invite(other, other_authoriser, email="late@other.example")[0])
    for invitation in late:
        _age(invitation, -1)
    _fresh, _ = invite(site, authoriser, email="fresh@example.org")
    withdrawn, _ = invite(site, authoriser, email="gone@example.org")
    invitation_withdraw(invitation=withdrawn, withdrawn_by=authoriser)
    _age(withdrawn, -1)
    # One read, one bulk update, one audit insert per site (plus the transaction's savepoints).
    with django_assert_num_queries(4 + 2):
        assert invitations_expire() == 4
    statuses = dict(Invitation.objects.values_list("email", "status"))
    assert {statuses[f"late{index}@example.org"] for index in range(3)} == {"expired"}
    assert statuses["late@other.example"] == "expired"
    assert statuses["fresh@example.org"] == "pending"
    assert statuses["gone@example.org"] == "withdrawn"
    assert AuditEvent.objects.filter(action="elearning.invitation_expired", centre=site).count() == 3
    assert AuditEvent.objects.filter(action="elearning.invitation_expired", centre=other).count() == 1
    assert invitations_expire_task() == 0  # safe to run twice


def test_the_job_is_on_the_beat_schedule():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "elearning.tasks.invitations_expire_task" in entries


def test_authorisers_may_have_the_weekly_summary():
    site, authoriser = site_with_authoriser()
    assert WEEKLY_SUMMARY in [kind.code for kind in kinds_allowed(user=authoriser, centre=site)]


def test_the_summary_counts_the_sites_pending_invitations_for_its_authorisers():
    site, authoriser = site_with_authoriser()
    assert invitations_awaiting_response(user=authoriser, centre=site) is None  # nothing waits
    invite(site, authoriser, email="one@example.org")
    invite(site, authoriser, email="two@example.org")
    late, _ = invite(site, authoriser, email="late@example.org")
    _age(late, -1)  # past its date: not awaiting a response
    other, other_authoriser = site_with_authoriser()
    invite(other, other_authoriser, email="elsewhere@example.org")
    entry = invitations_awaiting_response(user=authoriser, centre=site)
    assert entry.text == "2 invitations awaiting a response"
    assert entry.path == reverse("elearning:invitations", kwargs={"site_id": site.public_id})
    learner = MembershipFactory(centre=site).user
    educator = MembershipFactory(centre=site, role=Role.EDUCATOR).user
    assert invitations_awaiting_response(user=learner, centre=site) is None
    assert invitations_awaiting_response(user=educator, centre=site) is None
    assert invitations_awaiting_response(user=authoriser, centre=other) is None


def test_an_authoriser_subscribed_to_the_summary_gets_the_section():
    site, authoriser = site_with_authoriser()
    invite(site, authoriser)
    NotificationSubscription.objects.create(user=authoriser, centre=site, kind=WEEKLY_SUMMARY)
    assert [entry.text for entry in summary_entries(user=authoriser, centre=site)] == [
        "1 invitation awaiting a response"
    ]
    year, week = iso_week_of()
    summary = weekly_summary_send(user=authoriser, centre=site, address=authoriser.email, iso_year=year, iso_week=week)
    assert "1 invitation awaiting a response" in summary.outbox_email.text_body
