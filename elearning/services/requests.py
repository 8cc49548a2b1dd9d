"""E4: raising requests for the central team. Working them (notes, statuses, completion) is
in `elearning/services/queue.py`."""

from django.db import transaction

from centres.audit import audit_record
from elearning.models import AccountRequest, SiteStaff


@transaction.atomic
def account_request_raise(
    *,
    site_staff: SiteStaff,
    kind: AccountRequest.Kind,
    requested_by=None,
    deactivation_reason: str = "",
    detail: str = "",
    request=None,
) -> AccountRequest:
    """Put a request in the central team's queue. `requested_by` is None when the platform
    raises it (completed eLearning). Audited."""
    account_request = AccountRequest.objects.create(
        centre=site_staff.centre,
        site_staff=site_staff,
        kind=kind,
        requested_by=requested_by,
        deactivation_reason=deactivation_reason,
        detail=detail,
    )
    audit_record(
        actor=requested_by,
        centre=site_staff.centre,
        action="elearning.request_raised",
        target=account_request,
        summary=f"{account_request.get_kind_display()} requested for {site_staff.user.get_full_name()}",
        request=request,
    )
    return account_request


def site_access_request_raise(*, site_staff: SiteStaff, request=None) -> AccountRequest | None:
    """Once a person at a site has completed the eLearning: "Completed eLearning - create
    account" the first time anywhere, "New access at another site" when they already have an
    account (a completed create-account request at another site). None when this site already
    has such a request open or done for them."""
    kinds = [AccountRequest.Kind.CREATE_ACCOUNT, AccountRequest.Kind.NEW_ACCESS]
    if site_staff.requests.filter(kind__in=kinds).exclude(status=AccountRequest.Status.REJECTED).exists():
        return None
    has_account = AccountRequest.objects.filter(
        site_staff__user=site_staff.user,
        kind=AccountRequest.Kind.CREATE_ACCOUNT,
        status=AccountRequest.Status.COMPLETED,
    ).exists()
    kind = AccountRequest.Kind.NEW_ACCESS if has_account else AccountRequest.Kind.CREATE_ACCOUNT
    return account_request_raise(site_staff=site_staff, kind=kind, request=request)
