"""The idle timeout without a session write on every page (issue 12 finding 9,
core.session_refresh): an active session is extended at most once a minute, an idle one
still ends, and an anonymous visitor gets no session row."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.session_refresh import REFRESH_SECONDS, REFRESHED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _row(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _last_refresh(client, seconds_ago):
    session = client.session
    session[REFRESHED_KEY] = int(time.time()) - seconds_ago
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=5))


def test_an_active_session_is_extended_at_most_once_a_minute(client):
    client.force_login(UserFactory(), backend="allauth.account.auth_backends.AuthenticationBackend")
    _last_refresh(client, REFRESH_SECONDS + 5)

    assert client.get(reverse("home")).status_code in (200, 302)
    row = _row(client)
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert row.expire_date > timezone.now() + idle - timedelta(seconds=30)  # extended to a full idle period
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    refreshed = row.get_decoded()[REFRESHED_KEY]
    assert refreshed >= int(time.time()) - 5

    # Within the minute: no write (the row keeps its data and expiry, the cookie is not re-sent).
    before = row.session_data, row.expire_date
    client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] = ""
    client.get(reverse("home"))
    row = _row(client)
    assert (row.session_data, row.expire_date) == before
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


def test_an_idle_session_still_expires(client):
    user = UserFactory()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    _last_refresh(client, 0)
    assert client.get(reverse("home")).wsgi_request.user == user
    # SESSION_IDLE_MINUTES without a refresh: the row's expiry has passed.
    _row(client).__class__.objects.filter(pk=_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated


def test_an_anonymous_visitor_gets_no_session_row(client):
    client.get(reverse("account_login"))
    client.get(reverse("help"))
    assert not Session.objects.exists()
