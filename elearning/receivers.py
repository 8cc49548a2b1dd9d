"""Receivers of eLearning's own signals (connected in ElearningConfig.ready)."""

from elearning.models import SiteStaff
from elearning.services.requests import site_access_request_raise


def site_access_requests_on_completion(sender, *, user, **kwargs) -> None:
    """The person finished every required module: ask the central team for their access at
    each site where they are current ("Completed eLearning - create account", or "New
    access at another site"). Runs in the completing transaction; a site that already has
    such a request is skipped by the service."""
    for site_staff in SiteStaff.objects.filter(user=user, status=SiteStaff.Status.CURRENT).select_related(
        "centre", "user"
    ):
        site_access_request_raise(site_staff=site_staff, request=kwargs.get("request"))
