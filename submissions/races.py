"""Unique-constraint races become the ordinary "already exists" message."""

import logging
from collections.abc import Callable
from functools import wraps

from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)


def is_unique_violation(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(error)


def unique_race_retried(service: Callable) -> Callable:
    """Decorate a service that checks "already exists" before it inserts. If a concurrent
    request inserted the same thing between the check and the insert (a unique violation,
    e.g. two registrations of one email at once), the service runs once more in a fresh
    savepoint: its check now sees the other row and raises the service's ordinary "already
    exists" error, which the view shows as a form message instead of a 500."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        for attempt in range(2):
            try:
                with transaction.atomic():
                    return service(*args, **kwargs)
            except IntegrityError as error:
                if attempt or not is_unique_violation(error):
                    raise
                logger.info("Unique constraint race in %s; checking again", service.__name__)
        raise AssertionError("unreachable")

    return wrapped
