"""E2 invitations, the authoriser's side: invite, resend, withdraw, and the daily expiry
(ADR 0036). The invitee's side (reject, accept) is in `invitations_response.py`.

The link's secret is emailed once and stored only as its SHA-256 (like the welcome link).
A resend gives a new secret and 30 more days; the old secret is kept (hashed) so its link
can say a newer invitation was sent.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record, audit_records
from centres.models import Centre
from centres.ownership import email_owner_id
from core.exceptions import ServiceError
from elearning.models import Invitation, InvitationReplacedLink, SiteStaff
from notifications.services import email_send

LIFETIME = timedelta(days=Invitation.LIFETIME_DAYS)


class InvitationError(ServiceError):
    """An invitation that cannot be sent, changed or used as asked."""


@dataclass(frozen=True)
class InvitationSent:
    invitation: Invitation
    token: str  # the link's secret: only in the email (and here, for the caller's tests)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("elearning:invitation", kwargs={"token": token})


def _email_invitation(invitation: Invitation, token: str) -> None:
    email_send(
        to=[invitation.email],
        template="elearning/emails/invitation",
        context={
            "invitation": invitation,
            "site": invitation.centre,
            "inviter": invitation.invited_by,
            "invitation_url": invitation_link(token),
            "reject_url": settings.SITE_URL
            + reverse("elearning:invitation_reject", kwargs={"token": token}),
            "lifetime_days": Invitation.LIFETIME_DAYS,
        },
        centre=invitation.centre,
    )


def _expire_stale(*, site: Centre, email: str, now: datetime) -> None:
    """A pending invitation past its date that the daily job has not marked yet is expired
    now, so a new one to the same address may be sent (one pending per address and site)."""
    stale = Invitation.objects.for_centre(site).filter(
        email__iexact=email, status=Invitation.Status.PENDING, expires_at__lte=now
    )
    for invitation in stale:
        invitation.status = Invitation.Status.EXPIRED
        invitation.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            centre=site,
            action="elearning.invitation_expired",
            target=invitation,
            summary=f"Invitation to {invitation.email} expired",
        )


def invitation_create_problem(*, site: Centre, email: str, now: datetime | None = None) -> str:
    """Why `email` may not be invited to `site` now ("" when it may)."""
    now = now or timezone.now()
    owner_id = email_owner_id(email)
    if (
        owner_id is not None
        and SiteStaff.objects.for_centre(site).filter(user_id=owner_id, status=SiteStaff.Status.CURRENT).exists()
    ):
        return f"{email} is already a current member of staff at {site.name}"
    pending = (
        Invitation.objects.for_centre(site)
        .filter(email__iexact=email, status=Invitation.Status.PENDING, expires_at__gt=now)
        .first()
    )
    if pending is not None:
        sent = timezone.localtime(pending.sent_at)
        return f"{email} was already invited on {sent:%-d %B %Y}: resend that invitation instead"
    return ""


@transaction.atomic
def invitation_create(
    *,
    site: Centre,
    invited_by,
    first_name: str,
    last_name: str,
    email: str,
    contact_number: str,
    job_title: str,
    job_category: str,
    request=None,
) -> InvitationSent:
    """E2 "Create invite": the invitee is emailed a link to accept or reject. Refused (nothing
    written) for an email whose person is current staff at the site or already invited."""
    email = email.strip().lower()
    now = timezone.now()
    problem = invitation_create_problem(site=site, email=email, now=now)
    if problem:
        raise InvitationError(problem, field="email")
    _expire_stale(site=site, email=email, now=now)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                centre=site,
                invited_by=invited_by,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                email=email,
                contact_number=contact_number.strip(),
                job_title=job_title.strip(),
                job_category=job_category,
                token_hash=token_hash(token),
                sent_at=now,
                expires_at=now + LIFETIME,
            )
    except IntegrityError as error:  # a second request for the same address won the race
        raise InvitationError(f"{email} was already invited: resend that invitation instead", field="email") from error
    _email_invitation(invitation, token)
    audit_record(
        actor=invited_by,
        centre=site,
        action="elearning.invitation_sent",
        target=invitation,
        summary=f"Invited {invitation.first_name} {invitation.last_name} <{email}> ({invitation.job_title})",
        request=request,
    )
    return InvitationSent(invitation=invitation, token=token)


def _locked_pending(invitation: Invitation, *, now: datetime) -> Invitation:
    locked = Invitation.objects.for_centre(invitation.centre).select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING or locked.expires_at <= now:
        raise InvitationError("This invitation is no longer waiting for a response")
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, resent_by, request=None) -> InvitationSent:
    """A new secret and 30 more days; the old link then says a newer invitation was sent."""
    now = timezone.now()
    locked = _locked_pending(invitation, now=now)
    InvitationReplacedLink.objects.create(invitation=locked, token_hash=locked.token_hash, replaced_at=now)
    token = secrets.token_urlsafe(32)
    locked.token_hash = token_hash(token)
    locked.sent_at = now
    locked.expires_at = now + LIFETIME
    locked.save(update_fields=["token_hash", "sent_at", "expires_at", "updated_at"])
    _email_invitation(locked, token)
    audit_record(
        actor=resent_by,
        centre=locked.centre,
        action="elearning.invitation_resent",
        target=locked,
        summary=f"Invitation to {locked.email} sent again; it now expires on {locked.expires_at:%-d %B %Y}",
        request=request,
    )
    return InvitationSent(invitation=locked, token=token)


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, withdrawn_by, request=None) -> Invitation:
    locked = _locked_pending(invitation, now=timezone.now())
    locked.status = Invitation.Status.WITHDRAWN
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at", "updated_at"])
    audit_record(
        actor=withdrawn_by,
        centre=locked.centre,
        action="elearning.invitation_withdrawn",
        target=locked,
        summary=f"Invitation to {locked.email} withdrawn",
        request=request,
    )
    return locked


@transaction.atomic
def invitations_expire(*, now: datetime | None = None) -> int:
    """The daily job: every pending invitation past its date becomes expired, in one update,
    with an audit event each (one insert per site). Safe to run twice."""
    now = now or timezone.now()
    due = list(
        Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
        .select_for_update(skip_locked=True)
        .select_related("centre")
        .order_by("centre_id", "id")
    )
    if not due:
        return 0
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in due]).update(
        status=Invitation.Status.EXPIRED, updated_at=now
    )
    by_site: dict[int, list[Invitation]] = {}
    for invitation in due:
        by_site.setdefault(invitation.centre_id, []).append(invitation)
    for invitations in by_site.values():
        audit_records(
            actor=None,
            centre=invitations[0].centre,
            action="elearning.invitation_expired",
            targets=[(each, f"Invitation to {each.email} expired unanswered") for each in invitations],
        )
    return len(due)
