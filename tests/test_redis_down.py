"""Issue 12 finding 2: with Redis down (cache and broker pointed at a dead port, for real) the
person's action still succeeds: login, password reset, /verify/, registering a delegate with
a welcome email and requesting a report answer 200/302 and their rows are saved; the emails
and the report wait in the database for the outbox and job sweeps.

Before: the cache (allauth's rate limits, /verify/'s limit) raised ConnectionError and the
after-commit task dispatch raised kombu's OperationalError, so each of these was a 500."""

import logging

import pytest
from django.urls import reverse

from accounts.models import User
from centres.models import Membership
from centres.roles import Role
from config.settings import base as base_settings
from notifications.models import OutboundEmail
from reporting.models import ReportJob
from tests.celery_worker import _celery_publishes_to
from tests.factories import PASSWORD, CentreFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DEAD_REDIS = "redis://127.0.0.1:6395/0"  # nothing listens here


@pytest.fixture
def redis_down(settings):
    """The cache and the Celery broker as production configures them (base settings with
    REDIS_URL), but on a port where nothing listens."""
    from config.cache import FailOpenRedisCache
    from core import tasks

    assert base_settings.REDIS_URL, "base settings read REDIS_URL"
    settings.CACHES = {"default": {**base_settings.CACHES["default"], "LOCATION": DEAD_REDIS}}
    FailOpenRedisCache._down_until = 0.0
    tasks._broker_down_until = 0.0
    with _celery_publishes_to(DEAD_REDIS):
        yield
    FailOpenRedisCache._down_until = 0.0
    tasks._broker_down_until = 0.0


def test_login_password_reset_and_verify_work_while_redis_is_down(redis_down, client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.WARNING):
        wrong = client.post(reverse("account_login"), {"login": user.email, "password": "not-the-password"})
        assert wrong.status_code == 200  # the form again, with its error (rate limit failed open)
        assert "Cache unavailable" in caplog.text

        right = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert right.status_code == 302
        assert client.get(reverse("home")).wsgi_request.user == user
        client.logout()

        reset = client.post(reverse("account_reset_password"), {"email": user.email})
        assert reset.status_code == 302
        assert "not queued" in caplog.text  # the dispatch was refused and logged
    email = OutboundEmail.objects.get(to=[user.email])
    assert email.subject.startswith("Reset your password")
    assert email.sent_at is None  # waiting for the outbox sweep

    verify = client.get(reverse("verify:form"), {"code": "NOTA-REAL-CODE"})
    assert verify.status_code in (200, 302)
    assert verify.status_code != 429


def test_register_delegate_and_request_report_work_while_redis_is_down(redis_down, client, login_as):
    centre = CentreFactory()
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user
    login_as(administrator, centre)

    registered = client.post(
        reverse("centres:register_delegate"),
        {
            "first_name": "Will",
            "last_name": "Outage",
            "email": "will.outage@catmail.example",
            "job_group": "1",
            "has_prn": "no",
            "welcome": "now",
        },
    )
    assert registered.status_code == 302
    membership = Membership.objects.get(user__email="will.outage@catmail.example")
    assert membership.centre == centre
    welcome = OutboundEmail.objects.get(template="centres/emails/welcome")
    assert welcome.sent_at is None  # saved; the sweep sends it when Redis is back

    requested = client.post(reverse("centres:delegate_export"))  # exports are POST (issue 11)
    assert requested.status_code == 302
    job = ReportJob.objects.for_centre(centre).get()
    assert job.status == ReportJob.Status.QUEUED  # saved; the job sweep starts it
    assert User.objects.filter(email="will.outage@catmail.example").exists()
