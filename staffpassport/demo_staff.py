"""Demo staff passports at LTHT (S7), loaded by `manage.py seed_demo` through
`StaffpassportConfig.seed_demo`, everything through the services as Sarah Bennett (audited):

- automatic issuance off for the two DBS checks staff arrive with (basic, and enhanced with
  barred lists), so ESR's DBS checks wait for a person while the rest are issued;
- the example ESR feed (`data/esr-example.csv`: Amara, Tom, Priya and Wojciech) imported;
- Tom Hughes's basic DBS check rejected, with its reason; Amara Okafor's DBS check left
  waiting for manual issue;
- Wojciech Nowak's credentials required bypassed (reviewed, with the reason); the other three
  stay "awaiting credentials".

Idempotent: each step looks at what is there first, so a second run changes nothing."""

from pathlib import Path

from django.db import transaction

from centres.models import Centre
from reporting.imports import import_commit, import_preview
from staffpassport.esr.kind import KIND
from staffpassport.models import Credential, StaffCredential, StaffMember
from staffpassport.selectors.catalogue import auto_issuance_map
from staffpassport.services.auto_issuance import auto_issuance_save
from staffpassport.services.credential_queue import credentials_reject
from staffpassport.services.staff_review import staff_credentials_bypass

EXAMPLE = Path(__file__).resolve().parent / "data" / "esr-example.csv"
DEMO_CENTRE = "LTHT"
MANUAL_CODES = ["dbs-basic", "dbs-enhanced-barred"]
# (ESR assignment number, credential code, reason)
REJECTED = (
    "10345678-2",
    "dbs-basic",
    "Certificate number does not match the DBS update service: ask Tom for the original",
)
# (ESR assignment number, reason)
BYPASSED = (
    "10567890",
    "Long-serving estates staff member: HR checked his paper employment records in 2025",
)


def _manual_issue_ensure(centre: Centre, actor) -> None:
    """Automatic issuance off for MANUAL_CODES, the rest as they are."""
    current = auto_issuance_map(centre=centre)
    manual = set(Credential.objects.filter(code__in=MANUAL_CODES).values_list("pk", flat=True))
    if not any(current[pk] for pk in manual):
        return
    automatic = {pk for pk, on in current.items() if on} - manual
    auto_issuance_save(centre=centre, automatic_ids=automatic, changed_by=actor)


def _feed_import(centre: Centre, actor):
    with EXAMPLE.open("rb") as handle:  # the commit reads the file again: keep it open
        preview = import_preview(KIND, file=handle, centre=centre)
        if preview.has_errors:
            raise RuntimeError(f"The example ESR feed has errors: {preview.error_list()[:3]}")
        if not preview.counts.changes:
            return preview.counts
        return import_commit(KIND, preview=preview, centre=centre, actor=actor, file_name=EXAMPLE.name)


def _reject_ensure(centre: Centre, actor) -> None:
    number, code, reason = REJECTED
    waiting = StaffCredential.objects.for_centre(centre).filter(
        staff_member__esr_assignment_number=number, credential__code=code, status=StaffCredential.Status.WAITING
    )
    public_ids = list(waiting.values_list("public_id", flat=True))
    if public_ids:
        credentials_reject(centre=centre, public_ids=public_ids, reason=reason, rejected_by=actor)


def _bypass_ensure(centre: Centre, actor) -> None:
    number, reason = BYPASSED
    member = (
        StaffMember.objects.for_centre(centre)
        .filter(esr_assignment_number=number, passport_status=StaffMember.PassportStatus.AWAITING_CREDENTIALS)
        .first()
    )
    if member is not None:
        staff_credentials_bypass(member=member, reason=reason, reviewed_by=actor)


@transaction.atomic
def demo_staff_passports_load(*, actor=None, stdout=None) -> None:
    """`actor`: who the audit trail and histories name (seed_demo passes Sarah Bennett)."""
    centre = Centre.objects.filter(code=DEMO_CENTRE).first()
    if centre is None:
        return
    _manual_issue_ensure(centre, actor)
    counts = _feed_import(centre, actor)
    _reject_ensure(centre, actor)
    _bypass_ensure(centre, actor)
    if stdout is not None:
        stdout.write(
            f"Staff passports at {DEMO_CENTRE}: {counts.new_staff} new staff from the example ESR feed, "
            f"{counts.issued_automatically} credentials issued, {counts.waiting} waiting for manual issue"
        )
