"""Reading a DelegatesBulkUpload workbook into rows, within the shared opener's limits
(`reporting.uploads`: size, parts, rows, time)."""

from __future__ import annotations

from dataclasses import dataclass

from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
from core.exceptions import ServiceError
from reporting.uploads import SheetMissing, UploadRefused, XlsxLimits, xlsx_rows

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_DATA_ROWS = 20_000


class BulkFileError(ServiceError):
    """The file as a whole cannot be used; the message is for the administrator."""


@dataclass
class RowData:
    row: int  # Excel row number (the header is row 1)
    values: dict[str, str]


def upload_limits() -> XlsxLimits:
    """Read when called, so the limits follow the module's constants."""
    return XlsxLimits(
        max_file_bytes=MAX_FILE_BYTES,
        max_rows=MAX_DATA_ROWS,
        what=f"{MAX_DATA_ROWS:,} delegates",
        too_many_rows=(
            f"The file has too many rows: upload at most {MAX_DATA_ROWS:,} delegates at once "
            "(empty rows count too: delete any below your delegates)"
        ),
        wrong_type="The selected file must be an Excel workbook (.xlsx)",
        too_large="The selected file must be smaller than {mb} MB",
        empty="The selected file is empty",
    )


def _header_problems(header: list[str]) -> list[str]:
    problems = [f"Column {name} is missing" for name in COLUMNS if name not in header]
    problems += [f"Unknown column {name}" for name in header if name and name not in COLUMNS]
    if not problems and len(set(header)) != len(header):
        problems.append("A column appears more than once in the first row")
    if "" in header and not problems:
        problems.append("The first row has a blank column heading")
    return problems


def read_workbook(file) -> list[RowData]:
    """`file` is a path or a binary file object. Raises BulkFileError for a file that cannot
    be used at all. The limits (size, parts, rows, time) are reporting.uploads'."""
    if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            return read_workbook(handle)
    try:
        lines = xlsx_rows(file, limits=upload_limits(), sheet=DELEGATES_SHEET, sheet_required=True)
    except SheetMissing as error:
        raise BulkFileError(f"{error.message}: download the template and copy your delegates into it") from error
    except UploadRefused as error:
        raise BulkFileError(error.message) from error
    header = lines[0][1] if lines else []
    while header and header[-1] == "":
        header.pop()
    problems = _header_problems(header)
    if problems:
        raise BulkFileError("; ".join(problems) + " (the first row must hold the column headings)")
    positions = {name: header.index(name) for name in COLUMNS}
    data = [
        RowData(row=number, values={name: (texts[pos] if pos < len(texts) else "") for name, pos in positions.items()})
        for number, texts in lines[1:]
    ]
    if not data:
        raise BulkFileError("The file has no delegates in it: add one delegate per row below the headings")
    return data
