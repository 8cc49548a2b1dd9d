"""The delegate bulk upload as an import kind of `reporting.imports` (registered in
CentresConfig.ready): ADR 0008's own reader, validator and commit, run by the framework."""

from centres.bulk import saving
from centres.bulk.reading import read_workbook
from centres.bulk.validation import validate
from reporting.import_kinds import import_kind_register

KIND = "centres.delegates"
# Previews with up to this many rows are saved in the request; more by a worker.
INLINE_MAX_ROWS = 300


def _validate(*, rows, progress=None, centre, uploaded_by=None, **_context):
    return validate(centre=centre, rows=rows, progress=progress, uploaded_by=uploaded_by)


def _commit(*, preview, progress=None, **context):
    # Looked up when called: tests replace `saving.commit` to simulate a conflicting save.
    return saving.commit(preview=preview, progress=progress, **context)


def _inline_max_rows() -> int:
    return INLINE_MAX_ROWS


def delegates_import_register() -> None:
    import_kind_register(KIND, read=read_workbook, validate=_validate, commit=_commit, inline_max_rows=_inline_max_rows)
