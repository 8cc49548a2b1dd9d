"""eLearning's weekly-summary sections (notifications.registry; ADR 0026), registered from
ElearningConfig.ready."""

from django.urls import reverse

from centres.roles import Permission
from elearning.selectors.invitations import pending_invitations_count
from notifications.registry import SummaryEntry


def invitations_awaiting_response(*, user, centre) -> SummaryEntry | None:
    """E2: the site's invitations waiting for a response, for its authorisers."""
    if not user.has_perm(Permission.INVITE_STAFF.value, centre):
        return None
    count = pending_invitations_count(site=centre)
    if not count:
        return None
    return SummaryEntry(
        text=f"{count} invitation{'' if count == 1 else 's'} awaiting a response",
        path=reverse("elearning:invitations", kwargs={"site_id": centre.public_id}),
    )
