"""Centre work too heavy for a request (issue 12 finding 6), run by the worker as report
jobs (reporting.registry), with the report page's progress bar, sweep and "Try again":

- "Send to all N" welcome emails (C4) and "Approve all" registrations (C3): actions, done in
  chunks of CHUNK people, each chunk one transaction; safe to run again after a worker died
  part way (people already done are skipped);
- the "current delegates" bulk upload workbook (U1): a file.

The views create the jobs (`*_job_create`); the kinds are registered in CentresConfig.ready."""

from itertools import batched

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from centres.bulk.download import delegates_workbook_write
from centres.exports import delegate_report_access
from centres.models import Centre, Membership
from centres.roles import Permission
from centres.services.registration import registration_approve
from centres.services.welcome import welcome_links_send_many
from reporting.services import report_job_create

WELCOME_ALL_KIND = "centres.welcome_emails_all"
APPROVE_ALL_KIND = "centres.registrations_approve_all"
CURRENT_WORKBOOK_KIND = "centres.delegates_bulk_workbook"
# What seeing these jobs' pages needs, re-checked at every view (ADR 0017).
MANAGE_DELEGATES_ACCESS = {"permissions": [Permission.MANAGE_DELEGATES.value]}
CHUNK = 100


def unclaimed_delegates(*, centre: Centre, search: str = ""):
    """C4: active, approved delegates who have not set a password (the welcome-emails page)."""
    delegates = (
        Membership.objects.for_centre(centre)
        .filter(is_active=True, is_approved=True, user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .select_related("user", "job_group")
        .order_by("user__last_name", "user__first_name")
    )
    if search:
        delegates = delegates.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(delegate_number__iexact=search)
        )
    return delegates


def pending_registrations(*, centre: Centre):
    """C3: registrations waiting for approval (the approvals page)."""
    return (
        Membership.objects.for_centre(centre)
        .filter(is_approved=False, is_active=True)
        .select_related("user", "job_group")
        .order_by("created_at")
    )


def _still_allowed(job) -> None:
    """The worker acts for the person who asked: checked again when it runs (roles change)."""
    if not job.requested_by.is_active or not job.requested_by.has_perm(Permission.MANAGE_DELEGATES, job.centre):
        raise PermissionDenied("The person who asked may no longer manage delegates at this centre")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# -- Send to all ----------------------------------------------------------------------------


def welcome_emails_all_job_create(*, centre: Centre, requested_by, search: str):
    return report_job_create(
        centre=centre,
        requested_by=requested_by,
        kind=WELCOME_ALL_KIND,
        title="Send welcome emails",
        params={
            "search": search,
            "return_to": reverse("centres:welcome_emails"),
            "return_text": "Back to send welcome emails",
        },
        access=MANAGE_DELEGATES_ACCESS,
    )


def welcome_emails_all_run(job, progress) -> str:
    _still_allowed(job)
    # Someone this job already sent a link to (before a worker died) has a link made by the
    # requester since the job was created: skip them, so nobody gets two emails.
    delegates = unclaimed_delegates(centre=job.centre, search=job.params.get("search", "")).exclude(
        welcome_links__created_by=job.requested_by, welcome_links__created_at__gte=job.created_at
    )
    ids = list(delegates.values_list("pk", flat=True))
    sent = 0
    for chunk in batched(ids, CHUNK):
        with transaction.atomic():
            # Set-based per chunk; people who set a password meanwhile are skipped.
            chosen = Membership.objects.for_centre(job.centre).select_related("user", "centre").filter(pk__in=chunk)
            sent += welcome_links_send_many(memberships=list(chosen), sent_by=job.requested_by)
        progress(sent, len(ids))
    if not ids:
        return "Nobody was waiting for a welcome email."
    return f"Welcome email sent to {_plural(sent, 'delegate')}."


# -- Approve all ----------------------------------------------------------------------------


def registrations_approve_all_job_create(*, centre: Centre, requested_by):
    return report_job_create(
        centre=centre,
        requested_by=requested_by,
        kind=APPROVE_ALL_KIND,
        title="Approve registrations",
        params={
            "before": timezone.now().isoformat(),
            "return_to": reverse("centres:registrations"),
            "return_text": "Back to approve registrations",
        },
        access=MANAGE_DELEGATES_ACCESS,
    )


def registrations_approve_all_run(job, progress) -> str:
    _still_allowed(job)
    # Those waiting when the button was pressed (not people who registered since).
    pending = pending_registrations(centre=job.centre).filter(created_at__lte=job.params["before"])
    ids = list(pending.values_list("pk", flat=True))
    approved = 0
    for chunk in batched(ids, CHUNK):
        with transaction.atomic():
            # Locked, and only still-pending ones: a rerun or someone approving by hand meanwhile.
            for membership in pending.select_for_update(of=("self",)).filter(pk__in=chunk):
                registration_approve(membership=membership, approved_by=job.requested_by)
                approved += 1
        progress(approved, len(ids))
    return f"{_plural(approved, 'registration')} approved." if ids else "No registrations were waiting."


# -- current delegates workbook -------------------------------------------------------------


def current_workbook_job_create(*, centre: Centre, requested_by, include_prn: bool):
    return report_job_create(
        centre=centre,
        requested_by=requested_by,
        kind=CURRENT_WORKBOOK_KIND,
        title="Current delegates spreadsheet",
        params={
            "include_prn": include_prn,
            "return_to": reverse("centres:delegates_bulk"),
            "return_text": "Back to bulk upload delegates",
        },
        filename=f"{centre.code}-delegates-{timezone.localdate():%Y-%m-%d}.xlsx",
        access=delegate_report_access(include_prn=include_prn),
    )


def current_workbook_build(job, stream, progress) -> int:
    include_prn = bool(job.params.get("include_prn"))
    count = delegates_workbook_write(
        stream=stream, centre=job.centre, include_delegates=True, include_prn=include_prn, progress=progress
    )
    # Personal data leaving the service: recorded.
    audit_record(
        actor=job.requested_by,
        centre=job.centre,
        action="delegates.bulk_downloaded",
        summary=f"Bulk upload workbook downloaded with {_plural(count, 'delegate record')}"
        + (" including PRNs" if include_prn else ""),
    )
    return count
