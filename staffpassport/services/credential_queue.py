"""S7 the manual queue: credentials from ESR whose automatic issuance is off wait for a
person, who issues or rejects (with a reason) one or many. Each change is a version in the
credential's history (who, when, what, why) and an audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_records
from core.exceptions import ServiceError
from staffpassport.models import StaffCredential

REASON_MAX_LENGTH = 1000
HISTORY_REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason column


class CredentialQueueError(ServiceError):
    """The issue or rejection was refused; the message is for the person."""


def _waiting(*, centre, public_ids: list) -> list[StaffCredential]:
    """The chosen credentials, locked, all of them this trust's and still waiting."""
    if not public_ids:
        raise CredentialQueueError("Select at least one credential", field="credentials")
    chosen = list(
        StaffCredential.objects.for_centre(centre)
        .select_for_update(of=("self",))
        .select_related("credential", "staff_member")
        .filter(public_id__in=public_ids)
        .order_by("pk")
    )
    if len(chosen) != len(set(public_ids)):
        raise CredentialQueueError("One of the selected credentials no longer exists: reload the page and try again")
    done = [item for item in chosen if item.status != StaffCredential.Status.WAITING]
    if done:
        names = ", ".join(f"{item.credential.name} of {item.staff_member.full_name}" for item in done[:3])
        raise CredentialQueueError(
            f"Someone has already issued or rejected {names}: reload the page to see what still waits"
        )
    return chosen


def _save(credential: StaffCredential, *, actor, reason: str) -> None:
    credential._history_user = actor
    # The history's "why" column holds 100 characters; the full rejection reason is on the credential.
    if len(reason) > HISTORY_REASON_MAX_LENGTH:
        reason = reason[: HISTORY_REASON_MAX_LENGTH - 1] + "\N{HORIZONTAL ELLIPSIS}"
    credential._change_reason = reason
    credential.save()


@transaction.atomic
def credentials_issue(*, centre, public_ids: list, issued_by, request=None) -> list[StaffCredential]:
    """Issue waiting credentials (all or none)."""
    chosen = _waiting(centre=centre, public_ids=public_ids)
    now = timezone.now()
    for credential in chosen:
        credential.status, credential.issued_by, credential.issued_at = StaffCredential.Status.ISSUED, issued_by, now
        _save(credential, actor=issued_by, reason="Issued by hand")
    audit_records(
        actor=issued_by,
        action="staffpassport.credential_issued",
        centre=centre,
        targets=[(item, f"{item.credential.name} issued to {item.staff_member.full_name}") for item in chosen],
        request=request,
    )
    return chosen


@transaction.atomic
def credentials_reject(*, centre, public_ids: list, reason: str, rejected_by, request=None) -> list[StaffCredential]:
    """Reject waiting credentials with a reason (all or none)."""
    reason = (reason or "").strip()
    if not reason:
        raise CredentialQueueError("Enter why the credentials are rejected", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise CredentialQueueError(f"The reason must be {REASON_MAX_LENGTH} characters or fewer", field="reason")
    chosen = _waiting(centre=centre, public_ids=public_ids)
    now = timezone.now()
    for credential in chosen:
        credential.status = StaffCredential.Status.REJECTED
        credential.rejected_by, credential.rejected_at, credential.rejection_reason = rejected_by, now, reason
        _save(credential, actor=rejected_by, reason=f"Rejected: {reason}")
    audit_records(
        actor=rejected_by,
        action="staffpassport.credential_rejected",
        centre=centre,
        targets=[
            (item, f"{item.credential.name} of {item.staff_member.full_name} rejected: {reason}") for item in chosen
        ],
        request=request,
    )
    return chosen
