"""centres' weekly-summary sections (registered from CentresConfig.ready; ADR 0026). Each
checks the person's permission at the centre now and returns None when nothing waits."""

from django.urls import reverse

from centres.models import BulkUpload, Membership
from centres.roles import Permission
from notifications.registry import SummaryEntry


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def registrations_awaiting_approval(*, user, centre) -> SummaryEntry | None:
    if not user.has_perm(Permission.MANAGE_DELEGATES.value, centre):
        return None
    count = Membership.objects.for_centre(centre).filter(is_approved=False, is_active=True).count()
    if not count:
        return None
    return SummaryEntry(
        text=_plural(count, "registration awaiting approval", "registrations awaiting approval"),
        path=reverse("centres:registrations"),
    )


def bulk_previews_not_confirmed(*, user, centre) -> SummaryEntry | None:
    if not user.has_perm(Permission.MANAGE_DELEGATES.value, centre):
        return None
    count = BulkUpload.objects.filter(centre=centre, status=BulkUpload.Status.PREVIEW).count()
    if not count:
        return None
    return SummaryEntry(
        text=_plural(count, "bulk upload checked but not confirmed", "bulk uploads checked but not confirmed"),
        path=reverse("centres:delegates_bulk"),
    )
