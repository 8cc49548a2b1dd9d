"""What E3/E4 register with the layers below (navigation, platform dashboard task, weekly
summary section), from ElearningConfig.ready (ADR 0025)."""

from django.urls import reverse

from centres.home_tasks import PlatformTask
from centres.navigation import NavItem
from centres.roles import Permission
from elearning.selectors.queue import account_requests_waiting_count
from elearning.selectors.staff import site_requests_waiting_count
from notifications.registry import SummaryEntry

SITES_NAVIGATION = [NavItem("Manage sites", "elearning:sites", Permission.INVITE_STAFF, order=45)]
QUEUE_PLATFORM_NAVIGATION = [NavItem("Account requests", "elearning_platform:requests", order=25)]
QUEUE_PLATFORM_TASK = PlatformTask(
    "Account requests waiting",
    "elearning_platform:requests",
    "from care record sites",
    count=account_requests_waiting_count,
    count_label="open or in progress",
    order=15,
)


def requests_waiting(*, user, centre) -> SummaryEntry | None:
    """Weekly summary: the site's open and in-progress requests, for its authorisers."""
    if not user.has_perm(Permission.INVITE_STAFF.value, centre):
        return None
    count = site_requests_waiting_count(centre)
    if not count:
        return None
    words = "request" if count == 1 else "requests"
    return SummaryEntry(
        text=f"{count} account {words} waiting for the central team",
        path=reverse("elearning:site", kwargs={"site_id": centre.public_id}),
    )
