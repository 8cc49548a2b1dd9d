"""Demo staff passports at LTHT (S7): the example ESR feed imported through the import kind,
with DBS (enhanced with barred lists) issued by hand, so some credentials are issued and one
waits for manual issue. Idempotent: a second run finds every row unchanged. Called from
StaffpassportConfig.seed_demo (see the README)."""

from pathlib import Path

from centres.models import Centre
from reporting.imports import import_commit, import_preview
from staffpassport.esr.kind import KIND
from staffpassport.models import AutoIssuanceSetting, Credential

EXAMPLE = Path(__file__).resolve().parent / "data" / "esr-example.csv"
DEMO_CENTRE = "LTHT"
MANUAL_CODES = ["dbs-enhanced-barred"]


def demo_staff_passports_load(*, stdout) -> None:
    centre = Centre.objects.filter(code=DEMO_CENTRE).first()
    if centre is None:
        stdout.write(f"Staff passports: no centre {DEMO_CENTRE}, skipped")
        return
    for code in MANUAL_CODES:
        AutoIssuanceSetting.objects.get_or_create(
            centre=centre, credential=Credential.objects.get(code=code), defaults={"automatic": False}
        )
    with EXAMPLE.open("rb") as handle:
        preview = import_preview(KIND, file=handle, centre=centre)
        if preview.has_errors:
            stdout.write(f"Staff passports: the example feed has errors: {preview.error_list()[:3]}")
            return
        counts = preview.counts
        if counts.changes:
            counts = import_commit(KIND, preview=preview, centre=centre, file_name=EXAMPLE.name)
    stdout.write(
        f"Staff passports at {DEMO_CENTRE}: {counts.new_staff} new staff, {counts.new_credentials} new credentials "
        f"({counts.waiting} waiting for manual issue)"
    )
