"""The one rate limiter of the platform's own public endpoints (ADR 0030): self-registration,
"send me a new link", the DSR sign-up, /verify/ and the locked-account page. A fixed window
counted in the Django cache (Redis in production, failing open while Redis is down) per
client address (accounts.net.client_ip, so X-Forwarded-For only from TRUSTED_PROXIES) and an
optional extra key. The window starts at the first use, so a burst is never split across an
edge the client did not cause.

allauth's own views (login, password reset) keep allauth's limits, set in one place
(ACCOUNT_RATE_LIMITS) and keyed on the same client address through the account adapter; no
view of ours calls allauth's internal limiter."""

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from accounts.net import client_ip


def rate_limited(request, *, scope: str, limit: int, window: int = 60, key: str = "") -> bool:
    """Count one use of `scope` by this client (and `key`); True once more than `limit` uses
    fall in the current `window` seconds."""
    cache_key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        return limit < 1
    return count > limit


def too_many_requests(request) -> HttpResponse:
    """The NHS "too many requests" page (429) every limited endpoint answers with."""
    return render(request, "errors/429.html", status=429)
