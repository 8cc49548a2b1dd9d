"""E2 invitations, the reads an authoriser's pages and the weekly summary make (ADR 0036).

"Pending" means waiting and not past its date: a pending invitation past `expires_at` that
the daily job has not marked yet is shown, filtered and counted as expired everywhere.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from centres.models import Centre
from core.presenters import tag
from elearning.models import Invitation

HISTORIC_STATUSES = [
    Invitation.Status.ACCEPTED,
    Invitation.Status.REJECTED,
    Invitation.Status.EXPIRED,
    Invitation.Status.WITHDRAWN,
]


def _live() -> Q:
    return Q(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


def _expired() -> Q:
    return Q(status=Invitation.Status.EXPIRED) | Q(status=Invitation.Status.PENDING, expires_at__lte=timezone.now())


def pending_invitations(*, site: Centre) -> QuerySet[Invitation]:
    """The site's invitations waiting for a response, newest first."""
    return Invitation.objects.for_centre(site).filter(_live()).order_by("-sent_at", "-id")


def pending_invitation_get(*, site: Centre, public_id) -> Invitation | None:
    """One of the site's pending invitations (None for another site's id or an answered one)."""
    return pending_invitations(site=site).select_related("centre").filter(public_id=public_id).first()


def pending_invitations_count(*, site: Centre) -> int:
    return Invitation.objects.for_centre(site).filter(_live()).count()


def historic_invitations(*, site: Centre, status: str = "", search: str = "") -> QuerySet[Invitation]:
    """Answered, withdrawn and expired invitations at the site, most recent first, with the
    accepting account; `status` one of HISTORIC_STATUSES (or "" for all), `search` a part of
    the name or email."""
    invitations = Invitation.objects.for_centre(site).filter(~_live())
    if status == Invitation.Status.EXPIRED:
        invitations = invitations.filter(_expired())
    elif status in HISTORIC_STATUSES:
        invitations = invitations.filter(status=status)
    for word in search.split()[:5]:
        invitations = invitations.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return invitations.select_related("invited_by", "accepted_user").order_by("-updated_at", "-id")


def shown_status(invitation: Invitation) -> str:
    """The status a person should read (an unmarked pending invitation past its date is expired)."""
    if invitation.status == Invitation.Status.PENDING and invitation.expires_at <= timezone.now():
        return Invitation.Status.EXPIRED
    return invitation.status


STATUS_COLOURS = {
    Invitation.Status.PENDING: "blue",
    Invitation.Status.ACCEPTED: "green",
    Invitation.Status.REJECTED: "red",
    Invitation.Status.EXPIRED: "grey",
    Invitation.Status.WITHDRAWN: "orange",
}


def invitation_status_tag(invitation: Invitation) -> dict:
    status = Invitation.Status(shown_status(invitation))
    return tag(status.label, STATUS_COLOURS[status])
