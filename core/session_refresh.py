"""The idle timeout (SESSION_IDLE_MINUTES) without writing the session on every request.

Django's SESSION_SAVE_EVERY_REQUEST rewrote the session row (and re-signed the cookie) on
every page: ~1 ms CPU and 5 to 20 ms wall time a page (README, Performance > Load). Instead,
a request on a live session marks it modified when its last refresh is at least
REFRESH_SECONDS old, so SessionMiddleware saves it then and only then: the row's expiry and
the cookie's max-age move to now + SESSION_COOKIE_AGE. An active session is extended; an idle
one still ends SESSION_IDLE_MINUTES after its last refresh, i.e. at most REFRESH_SECONDS
earlier than after the last request.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESH_SECONDS = 60
REFRESHED_KEY = "_session_refreshed"


class SessionRefreshMiddleware:
    """After SessionMiddleware. Touches only sessions that already exist (an anonymous visitor
    without one does not get a row)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            refreshed = session.get(REFRESHED_KEY, 0)  # loads the session: an unknown key becomes None
            now = int(time.time())
            if session.session_key is not None and now - refreshed >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="session_refresh_on_login")
def _refreshed_at_login(sender, request, user, **kwargs):
    """A login saves the session with a full idle period: that counts as a refresh (also for
    logins that do not pass through the middleware, such as the test client's force_login)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_KEY] = int(time.time())
