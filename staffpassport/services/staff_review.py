"""S7 moving a staff passport from "awaiting credentials" to "reviewed": "Complete credentials
required" when every credential their template requires is issued, or "Bypass credentials
required" with a reason (a confirmation page; audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from staffpassport.models import StaffMember
from staffpassport.selectors.progress import staff_progress

NOTE_MAX_LENGTH = 1000


class StaffReviewError(ServiceError):
    """The move to reviewed was refused; the message is for the person."""


def _awaiting(member: StaffMember) -> StaffMember:
    locked = StaffMember.objects.select_for_update().select_related("centre").get(pk=member.pk)
    if locked.passport_status != StaffMember.PassportStatus.AWAITING_CREDENTIALS:
        raise StaffReviewError(f"{locked.full_name}'s staff passport has already been reviewed")
    return locked


def _review(member: StaffMember, *, outcome: str, reviewed_by, note: str = "") -> None:
    member.passport_status = StaffMember.PassportStatus.REVIEWED
    member.review_outcome, member.review_note = outcome, note
    member.reviewed_by, member.reviewed_at = reviewed_by, timezone.now()
    member.save(
        update_fields=["passport_status", "review_outcome", "review_note", "reviewed_by", "reviewed_at", "updated_at"]
    )


@transaction.atomic
def staff_credentials_complete(*, member: StaffMember, reviewed_by, request=None) -> StaffMember:
    member = _awaiting(member)
    progress = staff_progress(centre=member.centre, members=[member])[member.pk]
    if progress.template is None or not progress.complete:
        missing = progress.total - progress.done
        raise StaffReviewError(
            f"{member.full_name} still needs {missing} of the {progress.total} credentials required: issue them "
            "first, or bypass credentials required"
        )
    _review(member, outcome=StaffMember.ReviewOutcome.COMPLETED, reviewed_by=reviewed_by)
    audit_record(
        actor=reviewed_by,
        centre=member.centre,
        action="staffpassport.credentials_required_completed",
        target=member,
        summary=f"Credentials required completed for {member.full_name} ({progress.total} of {progress.total})",
        request=request,
    )
    return member


@transaction.atomic
def staff_credentials_bypass(*, member: StaffMember, reason: str, reviewed_by, request=None) -> StaffMember:
    reason = (reason or "").strip()
    if not reason:
        raise StaffReviewError("Enter why the credentials required are bypassed", field="reason")
    if len(reason) > NOTE_MAX_LENGTH:
        raise StaffReviewError(f"The reason must be {NOTE_MAX_LENGTH} characters or fewer", field="reason")
    member = _awaiting(member)
    progress = staff_progress(centre=member.centre, members=[member])[member.pk]
    _review(member, outcome=StaffMember.ReviewOutcome.BYPASSED, reviewed_by=reviewed_by, note=reason)
    audit_record(
        actor=reviewed_by,
        centre=member.centre,
        action="staffpassport.credentials_required_bypassed",
        target=member,
        summary=(
            f"Credentials required bypassed for {member.full_name} with {progress.done} of {progress.total} "
            f"issued: {reason}"
        ),
        request=request,
    )
    return member
