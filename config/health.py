"""/health/ for load balancers and docker-compose: the database, the cache, the Celery broker
(Redis) and file storage. 200 when every check passes, 500 naming the failing one otherwise.
No login, no personal data; `?format=json` or `Accept: application/json` for machines."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient


def _broker_client():
    return RedisClient.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)


def checks() -> list:
    found = ["health_check.checks.Database", "health_check.checks.Cache", "health_check.checks.Storage"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        found.append((Redis, {"client_factory": _broker_client}))
    return found


@login_not_required
async def health(request):
    # The checks are read from the settings on each request (tests point the broker elsewhere).
    return await HealthCheckView.as_view(checks=checks())(request)
