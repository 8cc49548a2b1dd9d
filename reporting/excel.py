"""Excel workbooks written row by row (openpyxl write-only mode), safe to open.

Formula escaping: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return could be read as a formula by Excel, LibreOffice or Google Sheets (directly, or after
someone saves the sheet as CSV and opens it again): "CSV/formula injection". Such a cell is
written as text with a leading apostrophe (`'=HYPERLINK(...)`), the OWASP recommendation;
openpyxl stores a value as a formula only when it starts with "=", so after escaping every
text value is stored as a string. The apostrophe stays
visible, which is deliberate: the reader sees the value was not typed by the centre as a
formula, and it survives a round trip through CSV. Feature apps build the rows; this module
knows nothing about them.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from itertools import chain, islice
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_TITLE = 31
# Readable workbooks (issue 16 item 7): UK dates, columns as wide as what they hold.
UK_DATE = "DD/MM/YYYY"
UK_DATE_TIME = "DD/MM/YYYY HH:MM"
WIDTH_SAMPLE_ROWS = 200  # widths come from the headers and the first rows (the rest streams)
MIN_WIDTH, MAX_WIDTH = 8, 60


def escape_text(value: str) -> str:
    """`value`, made safe to show in a spreadsheet cell."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape_text(value: str) -> str:
    """The inverse of `escape_text`, for reading back a workbook we wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def cell_text(value: Any) -> str:
    """A cell of an uploaded workbook as the text the person typed: booleans as TRUE/FALSE,
    whole numbers without ".0", dates in ISO form, our formula escaping undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return unescape_text(str(value).strip())


def file_size(file: IO[bytes]) -> int | None:
    """The size of an uploaded file object, or None when it cannot seek."""
    try:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
        return size
    except (AttributeError, OSError):
        return None


def _value(value: Any) -> Any:
    """A cell value: text escaped, times made local and naive (Excel has no time zones)."""
    if isinstance(value, str):
        return escape_text(value)  # openpyxl stores it as a string: it never starts with "="
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    if value is None or isinstance(value, bool | int | float | date):
        return value
    return escape_text(str(value))


def _width_of(value: Any) -> int:
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def column_widths(headers: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[float]:
    """A width per column from its header and the sampled rows, within sensible bounds."""
    widths = [_width_of(header) for header in headers]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width_of(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def sheet_columns_size(sheet, widths: Sequence[float]) -> None:
    """Set column widths; in write-only mode this must happen before the first row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def bold_cells(sheet, values: Sequence[Any]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_value(value))
        cell.font = bold
        cells.append(cell)
    return cells


def row_values(sheet, values: Sequence[Any]) -> list[Any]:
    """A row to append: plain values (openpyxl makes those cells itself, faster), except dates,
    which become cells in UK format so a date of birth reads 31/01/1990, never ########."""
    row = []
    for value in values:
        value = _value(value)
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = UK_DATE_TIME if isinstance(value, datetime) else UK_DATE
            row.append(cell)
        else:
            row.append(value)
    return row


def report_header_block(
    *, title: str, filters: Sequence[tuple[str, Any]], made_at: datetime | None = None
) -> list[tuple[str, Any]]:
    """The lines above a report's table that say what made it (issue 16 item 12): the report,
    when it was made and each filter as (label, value) ("All ..." for one not used). Shared by
    the feature reports; pass it to `workbook_write(header_block=...)`."""
    return [("Report", title), ("Made", made_at or timezone.now()), *filters]


def table_rows(rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """The table of a sheet we wrote, read back (`iter_rows(values_only=True)`): its header row
    first, without a header block above it. The block ends at the first empty row."""
    rows = list(rows)
    for index, row in enumerate(rows):
        if all(value is None for value in row):
            return rows[index + 1 :]
    return rows


def workbook_write(
    *,
    stream: IO[bytes],
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    header_block: Sequence[tuple[str, Any]] = (),
) -> int:
    """Write one sheet: a bold, frozen header row with an auto-filter, columns sized from the
    headers and the first rows, dates in UK form, then `rows` as they come (pass a generator
    over `.iterator()` so a large list is never held in memory). Returns the number of rows.

    `header_block` (from `report_header_block`): label and value lines above the table, saying
    which filters made it, then an empty line; the table's header row is frozen below them."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:MAX_SHEET_TITLE] or "Sheet")
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    sheet_columns_size(sheet, column_widths(headers, sample))
    header_row = len(header_block) + 2 if header_block else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for label, value in header_block:
        label_cell = bold_cells(sheet, [label])
        sheet.append(label_cell + row_values(sheet, [value]))
    if header_block:
        sheet.append([])
    sheet.append(bold_cells(sheet, headers))
    count = 0
    for row in chain(sample, rows):
        sheet.append(row_values(sheet, row))
        count += 1
    if headers:
        # Written after the rows (the sheet's tail), so the range can cover every row.
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{header_row + count}"
    workbook.save(stream)
    return count
