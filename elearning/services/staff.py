"""E3 writes: an authoriser amends a staff member's details and asks the central team to
deactivate, remove or reactivate them; a person amends their own name and job details
(ADR 0037). Names and login emails change only through `centres.ownership`."""

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from centres.ownership import account_change_blocker, account_identity_update
from core.exceptions import ServiceError
from core.services import model_update
from elearning.models import AccountRequest, SiteStaff
from elearning.selectors.staff import OPEN_STATUSES
from elearning.services.requests import account_request_raise

JOB_LABELS = {"contact_number": "contact number", "job_title": "job title", "job_category": "job category"}

# Which site status each request needs, and what to say otherwise.
_REQUEST_NEEDS = {
    AccountRequest.Kind.DEACTIVATE: ({SiteStaff.Status.CURRENT}, "Only a current staff member can be deactivated."),
    AccountRequest.Kind.REMOVE: (
        {SiteStaff.Status.CURRENT, SiteStaff.Status.DEACTIVATED},
        "This person has already been removed from the site.",
    ),
    AccountRequest.Kind.REINSTATE: (
        {SiteStaff.Status.DEACTIVATED, SiteStaff.Status.REMOVED},
        "Only a deactivated or removed staff member can be reactivated.",
    ),
}
REQUEST_VERBS = {
    AccountRequest.Kind.DEACTIVATE: "deactivation",
    AccountRequest.Kind.REMOVE: "removal",
    AccountRequest.Kind.REINSTATE: "reactivation",
}


def _staff_locked(site_staff: SiteStaff) -> SiteStaff:
    """The row again, locked: two requests for one person are decided one after the other."""
    return SiteStaff.objects.select_for_update().select_related("user", "centre").get(pk=site_staff.pk)


@transaction.atomic
def site_staff_details_update(
    *,
    site_staff: SiteStaff,
    changed_by,
    email: str,
    contact_number: str,
    job_title: str,
    job_category: str,
    request=None,
) -> list[str]:
    """An authoriser amends a staff member's email, contact number, job title and category.
    A new email goes through the ownership rule (only an account wholly this site's may be
    re-emailed) and raises an "Edit user" request with the old and new address. Returns the
    labels of what changed."""
    site_staff = _staff_locked(site_staff)
    user, site = site_staff.user, site_staff.centre
    old_email, new_email = user.email, email.strip().lower()
    changed = []
    if new_email != old_email.lower():
        blocker = account_change_blocker(user=user, centre=site, changed_by=changed_by, email=True)
        if blocker:
            raise ServiceError(blocker, field="email")
        account_identity_update(
            user=user,
            centre=site,
            changed_by=changed_by,
            first_name=user.first_name,
            last_name=user.last_name,
            email=new_email,
            request=request,
        )
        account_request_raise(
            site_staff=site_staff,
            kind=AccountRequest.Kind.EDIT_USER,
            requested_by=changed_by,
            detail=f"Email address changed from {old_email} to {new_email}",
            request=request,
        )
        changed.append("email address")
    update = model_update(
        site_staff, {"contact_number": contact_number, "job_title": job_title, "job_category": job_category}
    )
    if update:
        changed.append(update.summary(JOB_LABELS))
        audit_record(
            actor=changed_by,
            centre=site,
            action="elearning.staff_updated",
            target=site_staff,
            summary=f"Details of {user.get_full_name()} amended: {update.summary(JOB_LABELS)}",
            request=request,
        )
    return changed


@transaction.atomic
def site_staff_change_request(
    *,
    site_staff: SiteStaff,
    kind: AccountRequest.Kind,
    requested_by,
    deactivation_reason: str = "",
    detail: str = "",
    request=None,
) -> AccountRequest:
    """Ask the central team to deactivate, remove or reactivate a person at their site. One
    open request of a kind per person: a second (or a double submit) is refused."""
    if kind not in _REQUEST_NEEDS:
        raise ServiceError("Choose deactivation, removal or reactivation.")
    site_staff = _staff_locked(site_staff)
    allowed, refusal = _REQUEST_NEEDS[kind]
    if site_staff.status not in allowed:
        raise ServiceError(refusal)
    if site_staff.requests.filter(kind=kind, status__in=OPEN_STATUSES).exists():
        raise ServiceError(
            f"A {REQUEST_VERBS[kind]} request for {site_staff.user.get_full_name()} is already waiting "
            "for the central team."
        )
    detail = detail.strip()
    if kind == AccountRequest.Kind.DEACTIVATE:
        if deactivation_reason not in SiteStaff.DeactivationReason.values:
            raise ServiceError("Select why the account should be deactivated", field="deactivation_reason")
        if deactivation_reason == SiteStaff.DeactivationReason.OTHER and not detail:
            raise ServiceError("Enter the reason for deactivation", field="detail")
    else:
        deactivation_reason = ""
    return account_request_raise(
        site_staff=site_staff,
        kind=kind,
        requested_by=requested_by,
        deactivation_reason=deactivation_reason,
        detail=detail,
        request=request,
    )


@transaction.atomic
def site_staff_status_apply(*, account_request: AccountRequest, decided_by, request=None) -> SiteStaff | None:
    """Completing a deactivate, remove or reinstate request sets the person's status at that
    site (with the reason and date); other kinds change nothing here (the central team makes
    the change on the care record itself). Audited."""
    targets = {
        AccountRequest.Kind.DEACTIVATE: SiteStaff.Status.DEACTIVATED,
        AccountRequest.Kind.REMOVE: SiteStaff.Status.REMOVED,
        AccountRequest.Kind.REINSTATE: SiteStaff.Status.CURRENT,
    }
    status = targets.get(account_request.kind)
    if status is None:
        return None
    site_staff = _staff_locked(account_request.site_staff)
    reinstated = status == SiteStaff.Status.CURRENT
    site_staff.status = status
    site_staff.deactivation_reason = "" if reinstated else account_request.deactivation_reason
    site_staff.status_detail = "" if reinstated else account_request.detail[:500]
    site_staff.status_changed_at = timezone.now()
    site_staff.save(update_fields=["status", "deactivation_reason", "status_detail", "status_changed_at", "updated_at"])
    audit_record(
        actor=decided_by,
        centre=site_staff.centre,
        action="elearning.staff_status_changed",
        target=site_staff,
        summary=f"{site_staff.user.get_full_name()} is now {site_staff.get_status_display().lower()} at the site",
        request=request,
    )
    return site_staff


@transaction.atomic
def own_name_update(*, user, first_name: str, last_name: str, request=None) -> list[str]:
    """A person changes their own forename and surname (the owner may, through ownership)."""
    old_name = user.get_full_name()
    changed = account_identity_update(
        user=user, centre=None, changed_by=user, first_name=first_name, last_name=last_name, request=request
    )
    if changed:
        audit_record(
            actor=user,
            action="elearning.own_name_changed",
            target=user,
            summary=f"{old_name} changed their own name to {user.get_full_name()}",
            request=request,
        )
    return changed


@transaction.atomic
def own_job_update(
    *, site_staff: SiteStaff, user, contact_number: str, job_title: str, job_category: str, request=None
) -> list[str]:
    """A person amends their own job title, category and contact number at one site."""
    if site_staff.user_id != user.pk:
        raise ServiceError("You can only change your own details.")
    update = model_update(
        site_staff, {"contact_number": contact_number, "job_title": job_title, "job_category": job_category}
    )
    if update:
        audit_record(
            actor=user,
            centre=site_staff.centre,
            action="elearning.staff_updated",
            target=site_staff,
            summary=f"{user.get_full_name()} amended their own details: {update.summary(JOB_LABELS)}",
            request=request,
        )
    return update.fields
