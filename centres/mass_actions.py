"""Mass actions at a centre (issue 16 item 5): "Send to all N" welcome emails (C4) and
"Approve all" registrations (C3).

Each has a check page first (`*_preview`: how many people, the first few by name), then the
request only queues a batch: a reporting action job run by the worker with the shared
progress page, sweep and "Try again", in chunks of CHUNK people, each chunk one transaction.

One batch at a time, and no link sent twice (ADR 0047):
- starting a batch locks the centre's row and reuses a batch of the same kind still queued
  or running, so a double submit or a second tab queues nothing more;
- "Send to all" emails only delegates with no welcome link that still works, checked again
  for each chunk under a row lock. A second batch, or a rerun after a worker died, skips
  everyone already emailed, so links just sent are never replaced (a new link expires the
  old one). Sending someone a fresh link is "Send to selected", one page at a time.
- "Approve all" approves only registrations still pending, locked per chunk.
Both act on the people there when the check page was shown (`as_of`), not on later arrivals.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import batched

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from centres.models import Centre, Membership, WelcomeLink
from centres.roles import Permission
from centres.services.registration import registration_approve
from centres.services.welcome import welcome_links_send_many
from reporting.models import ReportJob
from reporting.services import report_job_create

WELCOME_ALL_KIND = "centres.welcome_emails_all"
APPROVE_ALL_KIND = "centres.registrations_approve_all"
# What seeing these jobs' pages needs, re-checked at every view (ADR 0017).
MANAGE_DELEGATES_ACCESS = {"permissions": [Permission.MANAGE_DELEGATES.value]}
CHUNK = 50  # people per transaction; the progress bar moves once per chunk
PREVIEW_NAMES = 10  # people named on a check page; the rest are counted


@dataclass(frozen=True)
class MassPreview:
    """What a check page shows: how many, the first few, and when it was counted."""

    count: int
    first: list[Membership]
    as_of: datetime

    @property
    def more(self) -> int:
        return max(self.count - len(self.first), 0)


def as_of_parse(value: str | None) -> datetime | None:
    """The check page's time sent back with the confirmation; None when it is not a time.
    A missing one (an old form) is now; a time in the future is now."""
    now = timezone.now()
    if not value:
        return now
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        return None
    return min(parsed, now)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _still_allowed(job) -> None:
    """The worker acts for the person who asked: checked again when it runs (roles change)."""
    if not job.requested_by.is_active or not job.requested_by.has_perm(Permission.MANAGE_DELEGATES, job.centre):
        raise PermissionDenied("The person who asked may no longer manage delegates at this centre")


# -- who ------------------------------------------------------------------------------------


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


def welcome_waiting(*, centre: Centre, search: str = "", as_of: datetime | None = None):
    """Who "Send to all" emails: delegates without a password and without a welcome link that
    still works (unused, not expired; a scheduled one counts), registered by `as_of`."""
    live_link = WelcomeLink.objects.filter(
        membership=OuterRef("pk"), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    waiting = unclaimed_delegates(centre=centre, search=search).filter(~Exists(live_link))
    return waiting.filter(created_at__lte=as_of) if as_of else waiting


def pending_registrations(*, centre: Centre):
    """C3: registrations waiting for approval (the approvals page)."""
    return (
        Membership.objects.for_centre(centre)
        .filter(is_approved=False, is_active=True)
        .select_related("user", "job_group")
        .order_by("created_at")
    )


def _preview(people) -> MassPreview:
    as_of = timezone.now()
    return MassPreview(count=people.count(), first=list(people[:PREVIEW_NAMES]), as_of=as_of)


def welcome_emails_preview(*, centre: Centre, search: str = "") -> MassPreview:
    return _preview(welcome_waiting(centre=centre, search=search))


def registrations_approve_preview(*, centre: Centre) -> MassPreview:
    return _preview(pending_registrations(centre=centre))


# -- starting a batch -----------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    job: ReportJob
    started: bool  # False: a batch of this kind was already queued or running here


@transaction.atomic
def _batch_start(*, centre: Centre, requested_by, kind: str, title: str, params: dict) -> Batch:
    # The "batch in progress" lock: two requests (a double click, a second tab) queue one by
    # one here, and the second finds the first's batch instead of queueing another.
    list(Centre.objects.select_for_update().filter(pk=centre.pk).values_list("pk", flat=True))
    running = (
        ReportJob.objects.for_centre(centre)
        .filter(kind=kind, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])
        .select_related("requested_by")
        .order_by("created_at")
        .first()
    )
    if running is not None:
        return Batch(job=running, started=False)
    job = report_job_create(
        centre=centre, requested_by=requested_by, kind=kind, title=title, params=params, access=MANAGE_DELEGATES_ACCESS
    )
    return Batch(job=job, started=True)


def welcome_emails_batch_start(*, centre: Centre, requested_by, search: str, as_of: datetime) -> Batch:
    """Queue "Send to all" for the worker; nothing is emailed in the request."""
    return _batch_start(
        centre=centre,
        requested_by=requested_by,
        kind=WELCOME_ALL_KIND,
        title="Send welcome emails",
        params={
            "search": search,
            "as_of": as_of.isoformat(),
            "return_to": reverse("centres:welcome_emails"),
            "return_text": "Back to send welcome emails",
        },
    )


def registrations_approve_batch_start(*, centre: Centre, requested_by, as_of: datetime) -> Batch:
    """Queue "Approve all" for the worker; nobody is approved or emailed in the request."""
    return _batch_start(
        centre=centre,
        requested_by=requested_by,
        kind=APPROVE_ALL_KIND,
        title="Approve registrations",
        params={
            "before": as_of.isoformat(),
            "return_to": reverse("centres:registrations"),
            "return_text": "Back to approve registrations",
        },
    )


# -- the worker -----------------------------------------------------------------------------


def welcome_emails_batch_run(job, progress) -> str:
    _still_allowed(job)
    as_of = datetime.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else job.created_at
    search = job.params.get("search", "")
    ids = list(welcome_waiting(centre=job.centre, search=search, as_of=as_of).values_list("pk", flat=True))
    sent = 0
    for done, chunk in enumerate(batched(ids, CHUNK), start=1):
        with transaction.atomic():
            # Locked and checked again: someone emailed meanwhile (by a rerun of this batch, or
            # by hand) has a working link and is skipped, so that link keeps working.
            chosen = (
                welcome_waiting(centre=job.centre, search=search, as_of=as_of)
                .filter(pk__in=chunk)
                .select_for_update(of=("self",))
                .select_related("centre")
            )
            sent += welcome_links_send_many(memberships=list(chosen), sent_by=job.requested_by)
        progress(min(done * CHUNK, len(ids)), len(ids))
    if not ids:
        return "Nobody was waiting for a welcome email."
    outcome = f"Welcome email sent to {_plural(sent, 'delegate')}."
    if skipped := len(ids) - sent:
        outcome += f" {_plural(skipped, 'other')} had been emailed or set a password meanwhile: not emailed again."
    return outcome


def registrations_approve_batch_run(job, progress) -> str:
    _still_allowed(job)
    # Those waiting when the check page was shown (not people who registered since).
    pending = pending_registrations(centre=job.centre).filter(created_at__lte=job.params["before"])
    ids = list(pending.values_list("pk", flat=True))
    approved = 0
    for done, chunk in enumerate(batched(ids, CHUNK), start=1):
        with transaction.atomic():
            # Locked, and only still-pending ones: a rerun or someone approving by hand meanwhile.
            for membership in pending.select_for_update(of=("self",)).filter(pk__in=chunk):
                registration_approve(membership=membership, approved_by=job.requested_by)
                approved += 1
        progress(min(done * CHUNK, len(ids)), len(ids))
    return f"{_plural(approved, 'registration')} approved." if ids else "No registrations were waiting."
