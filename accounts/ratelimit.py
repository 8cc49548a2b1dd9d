"""A small fixed-window rate limit counted in the Django cache (Redis in production), per
client address (accounts.net.client_ip, so X-Forwarded-For only from TRUSTED_PROXIES) and an
optional extra key. Used by public pages that allauth's own limits do not cover: /verify/,
self-registration, the locked-account page and "send me a new link"."""

from django.core.cache import cache

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
