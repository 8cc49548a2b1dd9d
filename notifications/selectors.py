"""Reads about system notices (C14)."""

from django.db.models import Q
from django.utils import timezone

from notifications.models import SystemNotice


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
