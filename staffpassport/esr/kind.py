"""The ESR feed as an import kind of `reporting.imports` (registered in
StaffpassportConfig.ready): read (`reading`), validate and commit (`plan`)."""

from centres.audit import audit_record
from reporting.import_kinds import import_kind_register
from staffpassport.esr.plan import EsrCounts, esr_preview, esr_write
from staffpassport.esr.reading import esr_feed_read

KIND = "staffpassport.esr"
# A commit of more rows than this runs in the worker, with progress on the page.
INLINE_MAX_ROWS = 2000


def _validate(*, rows, progress=None, centre, **_context):
    return esr_preview(centre=centre, feed=rows, progress=progress)


def _commit(*, preview, progress=None, centre, actor=None, file_name="", request=None, **_context) -> EsrCounts:
    reason = f"From the ESR feed {file_name}".strip()
    counts = esr_write(centre=centre, feed=preview.rows, actor=actor, reason=reason, progress=progress)
    audit_record(
        actor=actor,
        centre=centre,
        action="staffpassport.esr_imported",
        summary=(
            f"ESR feed {file_name} imported: {counts.rows} rows, {counts.new_staff} new and "
            f"{counts.changed_staff} changed staff, {counts.new_credentials} new and "
            f"{counts.changed_credentials} changed credentials ({counts.issued_automatically} issued "
            f"automatically, {counts.waiting} waiting for manual issue)"
        ),
        request=request,
    )
    return counts


def _inline_max_rows() -> int:
    return INLINE_MAX_ROWS


def esr_import_register() -> None:
    import_kind_register(KIND, read=esr_feed_read, validate=_validate, commit=_commit, inline_max_rows=_inline_max_rows)
