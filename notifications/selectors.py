"""Reads about system notices (C14), notification preferences and subscribers (C11)."""

from django.db.models import Q
from django.utils import timezone

from notifications.models import NotificationSubscription, SystemNotice
from notifications.registry import notification_audience


def system_notices_active(*, now=None):
    """Published notices that have not expired, newest first: shown on every dashboard."""
    now = now or timezone.now()
    return (
        SystemNotice.objects.filter(published_at__isnull=False, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-published_at")
    )


def system_notices_all():
    return SystemNotice.objects.select_related("created_by").order_by("-created_at")


def system_notice_get(*, public_id) -> SystemNotice | None:
    return SystemNotice.objects.filter(public_id=public_id).first()


def notification_wanted(*, user, centre, kind: str) -> bool:
    """The person's preference at `centre` for `kind` is on (a subscription row exists)."""
    return NotificationSubscription.objects.for_centre(centre).filter(user=user, kind=kind).exists()


def _addresses(subscriptions) -> list[str]:
    return sorted({address.strip().lower() for address in subscriptions.values_list("address", flat=True)})


def subscribers(centre, kind: str) -> list[str]:
    """C11: the email addresses of people at `centre` who subscribed to `kind` and may still
    receive it (the audience rule centres registers: a role allowing it, an active account and
    delegate record; their centre email when they gave one). Sorted, no repeats."""
    return _addresses(notification_audience(NotificationSubscription.objects.for_centre(centre), kind))


def subscribers_at_every_centre(kind: str) -> list[str]:
    """`subscribers` over every active centre, each address once (system notices, C14)."""
    return _addresses(notification_audience(NotificationSubscription.objects.all(), kind))


def subscribed_kinds(*, user, centre) -> set[str]:
    return set(NotificationSubscription.objects.for_centre(centre).filter(user=user).values_list("kind", flat=True))
