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
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_TITLE = 31


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


def workbook_write(
    *, stream: IO[bytes], sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write one sheet: a bold header row, then `rows` as they come (pass a generator over
    `.iterator()` so a large list is never held in memory). Returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:MAX_SHEET_TITLE] or "Sheet")
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        # Plain values: openpyxl makes the cells itself, faster than WriteOnlyCell per value.
        sheet.append([_value(value) for value in row])
        count += 1
    workbook.save(stream)
    return count
