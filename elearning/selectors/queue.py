"""E4 reads: the central team's queue, across every site (platform staff only: the views check
it). The one cross-site read of eLearning data (ADR 0037)."""

from django.db.models import Exists, OuterRef

from centres.models import Centre
from elearning.models import AccountRequest
from elearning.selectors.staff import OPEN_STATUSES


def account_requests_for_platform(*, kind: str = "", status: str = "", site: Centre | None = None):
    """Every site's requests, oldest first, filtered; rows carry site, person and requester."""
    requests = AccountRequest.objects.select_related("centre", "site_staff__user", "requested_by").order_by(
        "created_at", "id"
    )
    if kind:
        requests = requests.filter(kind=kind)
    if status == "waiting":
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif status:
        requests = requests.filter(status=status)
    if site is not None:
        requests = requests.filter(centre=site)
    return requests


def account_request_for_platform(*, public_id) -> AccountRequest | None:
    return (
        AccountRequest.objects.select_related("centre", "site_staff__user", "requested_by", "decided_by")
        .filter(public_id=public_id)
        .first()
    )


def account_requests_waiting_count() -> int:
    """Open and in-progress requests across every site (the platform dashboard)."""
    return AccountRequest.objects.filter(status__in=OPEN_STATUSES).count()


def queue_sites():
    """The sites that have any request, by name (the queue's site filter)."""
    has_requests = AccountRequest.objects.filter(centre=OuterRef("pk"))
    return Centre.objects.filter(Exists(has_requests)).order_by("name")


def queue_site_get(public_id) -> Centre | None:
    return queue_sites().filter(public_id=public_id).first() if public_id else None
