"""P2 staff list: an educator adds people by email (linking those already registered at the
centre, inviting the rest) and removes them; registration later links the entry."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from centres.invitations import invitation_record
from centres.models import Centre, Membership
from core.exceptions import ServiceError
from notifications.services import email_send
from passports.models import StaffListEntry
from submissions.races import unique_race_retried

MAX_EMAILS_AT_ONCE = 200
EMAIL_MAX_LENGTH = 254


class StaffListError(ServiceError):
    """A staff-list change the rules refuse; the message is shown to the person."""


@dataclass
class StaffAddOutcome:
    added: list[StaffListEntry] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def invited(self) -> list[StaffListEntry]:
        return [entry for entry in self.added if entry.membership_id is None]


def _pieces(text: str) -> list[str]:
    """Lines and semicolon-separated parts; in a part with addresses in angle brackets (as
    pasted from Outlook: "Okafor, Grace <grace.okafor@nhs.net>") only those addresses count,
    otherwise commas and spaces separate addresses too."""
    pieces: list[str] = []
    for chunk in re.split(r"[\r\n;]+", text or ""):
        bracketed = re.findall(r"<([^<>]*)>", chunk)
        pieces += bracketed if bracketed else re.split(r"[\s,]+", chunk)
    return [piece.strip() for piece in pieces if piece.strip()]


def staff_emails_parse(text: str) -> tuple[list[str], list[str]]:
    """Split pasted text into valid, lower-cased email addresses (each once, in order) and
    the pieces that are not email addresses."""
    valid: list[str] = []
    invalid: list[str] = []
    for piece in _pieces(text):
        email = piece.lower()
        try:
            if len(email) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            if piece not in invalid:
                invalid.append(piece)
            continue
        if email not in valid:
            valid.append(email)
    return valid, invalid


def _memberships_by_email(*, centre: Centre, emails: list[str]) -> dict[str, Membership]:
    """The centre's delegate records whose login email or centre email is one of `emails`
    (one query). An approved, active record wins over others with the same address."""
    found: dict[str, Membership] = {}
    rows = (
        Membership.objects.for_centre(centre)
        .annotate(login_email=Lower("user__email"), work_email=Lower("centre_email"))
        .filter(Q(login_email__in=emails) | Q(work_email__in=emails))
        .select_related("user")
        .order_by("-is_active", "-is_approved", "pk")
    )
    for membership in rows:
        for email in (membership.login_email, membership.work_email):
            if email in emails:
                found.setdefault(email, membership)
    return found


def _invite(*, centre: Centre, entry: StaffListEntry, educator) -> None:
    invitation_record(centre=centre, email=entry.email, invited_by=educator)
    email_send(
        to=[entry.email],
        template="passports/emails/staff_invitation",
        context={
            "centre": centre,
            "educator": educator,
            "register_url": settings.SITE_URL + reverse("register", kwargs={"code": centre.code}),
        },
        centre=centre,
    )


@unique_race_retried
@transaction.atomic
def staff_entries_add(*, centre: Centre, educator, emails_text: str, request=None) -> StaffAddOutcome:
    """Add every valid email in `emails_text` to the educator's staff list. An email of a
    delegate record at the centre links to it; any other is "Not registered" and is invited
    to register at the centre (and approved at once when they do, C2)."""
    emails, invalid = staff_emails_parse(emails_text)
    if len(emails) > MAX_EMAILS_AT_ONCE:
        raise StaffListError(f"Add up to {MAX_EMAILS_AT_ONCE} email addresses at a time")
    outcome = StaffAddOutcome(invalid=invalid)
    if not emails:
        return outcome
    existing = set(
        StaffListEntry.objects.for_centre(centre)
        .filter(educator=educator, email__in=emails)
        .values_list("email", flat=True)
    )
    outcome.already = [email for email in emails if email in existing]
    new_emails = [email for email in emails if email not in existing]
    memberships = _memberships_by_email(centre=centre, emails=new_emails)
    now = timezone.now()
    for email in new_emails:
        membership = memberships.get(email)
        entry = StaffListEntry.objects.create(
            centre=centre,
            educator=educator,
            email=email,
            membership=membership,
            invited_at=None if membership else now,
        )
        if membership is None:
            _invite(centre=centre, entry=entry, educator=educator)
        outcome.added.append(entry)
    if outcome.added:
        audit_record(
            actor=educator,
            centre=centre,
            action="staff_list.added",
            summary=(
                f"Added {len(outcome.added)} to the staff list of {educator.get_full_name()}: "
                + ", ".join(entry.email for entry in outcome.added)
                + (f" ({len(outcome.invited)} invited to register)" if outcome.invited else "")
            ),
            request=request,
        )
    return outcome


@transaction.atomic
def staff_entry_remove(*, entry: StaffListEntry, removed_by, request=None) -> None:
    """Take someone off the educator's staff list. Their enrolments stay."""
    if entry.educator_id != removed_by.pk:
        raise StaffListError("You can only change your own staff list")
    audit_record(
        actor=removed_by,
        centre=entry.centre,
        action="staff_list.removed",
        target=entry,
        summary=f"Removed {entry.email} from the staff list of {removed_by.get_full_name()}",
        request=request,
    )
    entry.delete()


def staff_entries_link(*, centre: Centre, memberships: list[Membership]) -> int:
    """Link "Not registered" entries at `centre` to delegate records just created there,
    matching the login email or the centre email. Called (through the
    `centres.signals.memberships_created` receiver) inside the creating transaction."""
    by_email: dict[str, Membership] = {}
    for membership in memberships:
        for email in (membership.user.email, membership.centre_email):
            if email:
                by_email.setdefault(email.lower(), membership)
    if not by_email:
        return 0
    # One query per 5,000 addresses (nobody waiting is the usual case), so a bulk upload of
    # thousands stays cheap and under the database's parameter limit.
    emails = list(by_email)
    waiting: list[StaffListEntry] = []
    for start in range(0, len(emails), 5000):
        waiting += StaffListEntry.objects.for_centre(centre).filter(
            membership__isnull=True, email__in=emails[start : start + 5000]
        )
    for entry in waiting:
        entry.membership = by_email[entry.email]
    StaffListEntry.objects.bulk_update(waiting, ["membership"])
    return len(waiting)
