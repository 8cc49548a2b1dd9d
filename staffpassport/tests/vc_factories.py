"""Staff and their credentials for the verifiable-credential tests, written straight to the
database in the state the ESR feed and the issuing queue (sp-esr) leave them."""

import itertools
from datetime import date, timedelta

from django.utils import timezone

from staffpassport.models import Credential, EmploymentType, StaffCredential, StaffGroup, StaffMember

_numbers = itertools.count(10_000_001)


def staff_credential_build(
    centre,
    *,
    first_name: str = "Ada",
    last_name: str = "Lovelace",
    credential_code: str = "dbs-enhanced-barred",
    status: str = StaffCredential.Status.ISSUED,
    awarded_on: date | None = date(2025, 3, 14),
    expires_on: date | None = None,
) -> StaffCredential:
    member = StaffMember.objects.create(
        centre=centre,
        esr_assignment_number=f"{next(_numbers)}-1",
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name}.{last_name}@example.nhs.uk".lower(),
        staff_group=StaffGroup.objects.get(code="nursing-midwifery-registered"),
        employment_type=EmploymentType.CURRENT,
    )
    now = timezone.now()
    issued = status in (StaffCredential.Status.ISSUED, StaffCredential.Status.REVOKED)
    return StaffCredential.objects.create(
        centre=centre,
        staff_member=member,
        credential=Credential.objects.get(code=credential_code),
        status=status,
        reference="DBS-001122334455",
        awarded_on=awarded_on,
        expires_on=expires_on,
        issued_at=now - timedelta(days=2) if issued else None,
        revoked_at=now - timedelta(days=1) if status == StaffCredential.Status.REVOKED else None,
        revocation_reason="Barred list check failed" if status == StaffCredential.Status.REVOKED else "",
        rejection_reason="Wrong person" if status == StaffCredential.Status.REJECTED else "",
    )


def staff_credential_revoke(staff_credential: StaffCredential) -> None:
    """What a revocation leaves (sp-esr owns the service that does it)."""
    staff_credential.status = StaffCredential.Status.REVOKED
    staff_credential.revoked_at = timezone.now()
    staff_credential.revocation_reason = "Withdrawn by the trust"
    staff_credential.save(update_fields=["status", "revoked_at", "revocation_reason", "updated_at"])
