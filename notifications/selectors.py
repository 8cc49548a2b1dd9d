"""Reads about system notices (C14) and notification preferences (C11)."""

from django.db.models import Q
from django.utils import timezone

from notifications.models import NotificationSubscription, SystemNotice


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
