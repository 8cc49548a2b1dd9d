"""A Redis cache that fails open: while Redis is unreachable every read is a miss and every
write is dropped, with one log line per outage instead of a 500 on every page that touches
the cache (allauth's login and password-reset rate limits, /verify/'s limit, upload progress).

What fails open: rate limits are off and progress shows 0 % until Redis is back. Nothing
that must not be lost is kept in the cache (sessions and the email outbox are in the
database). After a failure the backend does not try Redis again for `RETRY_AFTER` seconds,
so an outage costs one refused connection per process, not one per cache call."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds


class FailOpenRedisCache(RedisCache):
    _down_until = 0.0  # per process (class attribute: one Redis per process)

    def _call(self, operation: str, fallback, call):
        if time.monotonic() < FailOpenRedisCache._down_until:
            return fallback
        try:
            return call()
        except (RedisError, OSError) as error:
            if FailOpenRedisCache._down_until == 0.0:
                logger.warning("Cache unavailable (%s failed: %s); failing open until Redis answers", operation, error)
            FailOpenRedisCache._down_until = time.monotonic() + RETRY_AFTER
            return fallback
        else:
            if FailOpenRedisCache._down_until:
                logger.warning("Cache available again")
                FailOpenRedisCache._down_until = 0.0

    @classmethod
    def is_down(cls) -> bool:
        return time.monotonic() < cls._down_until

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: a lock (allauth's rate-limit lock) is taken and a counter starts afresh.
        return self._call("add", True, lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._call("get", default, lambda: super(FailOpenRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, lambda: super(FailOpenRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        return self._call("delete", False, lambda: super(FailOpenRedisCache, self).delete(key, version))

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, lambda: super(FailOpenRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._call("has_key", False, lambda: super(FailOpenRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        # The first hit of a window: counters start again while Redis is down.
        return self._call("incr", delta, lambda: super(FailOpenRedisCache, self).incr(key, delta, version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version))

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, lambda: super(FailOpenRedisCache, self).delete_many(keys, version))

    def clear(self):
        return self._call("clear", False, lambda: super(FailOpenRedisCache, self).clear())
