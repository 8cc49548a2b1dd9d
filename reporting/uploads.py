"""The one opener for uploaded tables: every uploaded .xlsx is read through here (centres'
bulk upload, passports' framework spreadsheet), and every .csv through its twin
(`reporting.csv_uploads`, same limits and messages). `upload_check` is the one sniffer of an
upload (its name, size and content type) before it is stored or read; the .xlsx is checked as
a zip before any XML is parsed, then read row by row within limits. See
docs/adr/0020-job-reliability-and-upload-limits.md and docs/adr/0028-import-jobs-and-file-machinery.md.

A .xlsx is a zip of XML parts. A small file can decompress to gigabytes (20 million empty
rows in 587 KB cost a worker 2 GB and 383 s; 10 million shared strings, 1 GB and 258 s).
So, before openpyxl sees the file:

- every part's decompressed size (from the zip directory; `zipfile` never yields more than
  that, and a lying size fails its CRC check), the total, the number of parts and the
  compression ratio of big parts are limited;
- no XML part may declare a DTD (OOXML has none; entities are how "billion laughs" cells
  grow), and
- the shared-strings table (which openpyxl loads whole) is counted and measured with a
  streaming parse that stops at the limit.

Then rows are read with the declared sheet dimension ignored, at most `max_columns` wide,
and the reading stops at the row limit counting blank rows, or when `max_seconds` pass.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from pyexpat import ExpatError, ParserCreate
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.exceptions import ServiceError
from reporting.excel import cell_text, file_size

MB = 1024 * 1024
EXCEL_CELL_MAX = 32_767  # characters: Excel's own limit for one cell
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
NOT_XLSX = "The file is not an Excel workbook (.xlsx), or it is damaged: save it from Excel as .xlsx"
OLD_OR_PROTECTED = (
    "The file is password-protected or in the old .xls format: save it as an Excel workbook (.xlsx) without a password"
)
TOO_BIG_INSIDE = (
    "The file is too large once opened (it unpacks to far more data than a spreadsheet of "
    "{what} needs): copy just your data into a new workbook, save it as .xlsx and upload that"
)


class UploadRefused(ServiceError):
    """The file cannot be used; the message is for the person who uploaded it."""


class SheetMissing(UploadRefused):
    """The workbook has no sheet with the name asked for."""


@dataclass(frozen=True)
class XlsxLimits:
    max_file_bytes: int
    max_rows: int  # rows below the heading row, blank rows included
    what: str = "this size"  # "20,000 delegates": used in the messages
    too_many_rows: str = ""  # the message when there are more rows; a plain one when blank
    max_columns: int = 50
    max_part_bytes: int = 64 * MB  # one sheet's XML, decompressed
    max_shared_strings_bytes: int = 32 * MB  # the shared-strings part, held whole by openpyxl
    max_shared_strings: int = 300_000
    max_total_bytes: int = 200 * MB
    max_parts: int = 500
    max_ratio: int = 100  # decompressed : compressed, for a part over RATIO_CHECKED_FROM
    max_seconds: float = 120.0
    # What `upload_check` says before anything is read; {mb} is max_file_bytes in MB.
    wrong_type: str = "The file must be an Excel workbook (.xlsx)"
    too_large: str = "The file must be smaller than {mb} MB"
    empty: str = "The selected file is empty"


UploadLimits = XlsxLimits  # the same limits serve the CSV twin
XLSX, CSV = ".xlsx", ".csv"
RATIO_CHECKED_FROM = 1 * MB


def _too_big(limits: XlsxLimits) -> UploadRefused:
    return UploadRefused(TOO_BIG_INSIDE.format(what=limits.what))


def upload_check(file, *, limits: XlsxLimits, extension: str = XLSX, directory: bool = True) -> None:
    """The one sniffer of an upload, before it is stored or read: its name's extension, its
    size, emptiness, then (for .xlsx, unless `directory` is False) the zip's directory.
    Raises UploadRefused with the limits' wording. Leaves `file` at its start."""
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(extension):
        raise UploadRefused(limits.wrong_type)
    size = getattr(file, "size", None)
    if size is None:
        size = file_size(file)
    if size is not None and size > limits.max_file_bytes:
        raise UploadRefused(limits.too_large.format(mb=limits.max_file_bytes // MB))
    if size == 0:
        raise UploadRefused(limits.empty)
    if extension == XLSX and directory:
        xlsx_check(file, limits=limits)


def xlsx_check(file: IO[bytes], *, limits: XlsxLimits) -> None:
    """The cheap checks, before anything is parsed: size, type, and the zip's directory.
    Raises UploadRefused. Leaves `file` at its start."""
    size = file_size(file)
    if size is not None and size > limits.max_file_bytes:
        raise UploadRefused(f"The file is too large: upload at most {limits.max_file_bytes // MB} MB")
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRefused(OLD_OR_PROTECTED)
    if not head.startswith(b"PK"):
        raise UploadRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UploadRefused(NOT_XLSX) from error
    finally:
        file.seek(0)
    if len(infos) > limits.max_parts:
        raise UploadRefused(NOT_XLSX)
    total = 0
    for info in infos:
        total += info.file_size
        limit = limits.max_part_bytes
        if info.file_size > limit or total > limits.max_total_bytes:
            raise _too_big(limits)
        if info.file_size > RATIO_CHECKED_FROM and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _too_big(limits)


class _Prolog(Exception):
    """The first element (or a DTD) was reached: stop reading."""


def _declares_dtd(stream: IO[bytes]) -> bool:
    """Whether an XML part declares a DTD, reading only up to its first element."""
    parser = ParserCreate()
    seen: list[bool] = []

    def doctype(*_args) -> None:
        seen.append(True)
        raise _Prolog

    def element(*_args) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Prolog:
        pass
    except ExpatError as error:
        raise UploadRefused(NOT_XLSX) from error
    return bool(seen)


def _no_dtds(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and not info.is_dir():
            with archive.open(info) as part:
                if _declares_dtd(part):
                    raise UploadRefused(NOT_XLSX)


def _shared_strings_parts(archive: zipfile.ZipFile) -> list[str]:
    """The shared-strings part names as [Content_Types].xml declares them (where openpyxl
    looks), and any part called sharedStrings.xml."""
    names = {name for name in archive.namelist() if name.lower().endswith("sharedstrings.xml")}
    try:
        with archive.open("[Content_Types].xml") as types:
            for _event, element in iterparse(types):  # noqa: S314 - no DTD (_no_dtds ran first)
                if element.tag.endswith("Override") and element.get("ContentType") == SHARED_STRINGS_TYPE:
                    names.add(element.get("PartName", "").lstrip("/"))
                element.clear()
    except KeyError:
        pass
    return [name for name in names if name in archive.namelist()]


def _shared_strings_check(archive: zipfile.ZipFile, limits: XlsxLimits, deadline: float) -> None:
    for name in _shared_strings_parts(archive):
        if archive.getinfo(name).file_size > limits.max_shared_strings_bytes:
            raise _too_big(limits)
        count = 0
        with archive.open(name) as part:
            for _event, element in iterparse(part):  # noqa: S314 - no DTD (_no_dtds ran first)
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "si":
                    count += 1
                    if count > limits.max_shared_strings:
                        raise _too_big(limits)
                    if count % 10_000 == 0 and time.monotonic() > deadline:
                        raise too_slow()
                    element.clear()
                elif tag == "t" and element.text and len(element.text) > EXCEL_CELL_MAX:
                    raise cell_too_long()


def too_slow() -> UploadRefused:
    return UploadRefused(
        "The file took too long to read: copy just your data into a new workbook, save it as .xlsx and upload that"
    )


def cell_too_long() -> UploadRefused:
    return UploadRefused(f"A cell holds more than {EXCEL_CELL_MAX:,} characters, more than Excel allows")


def too_many_rows_error(limits: XlsxLimits) -> UploadRefused:
    return UploadRefused(
        limits.too_many_rows or f"The file has too many rows: upload at most {limits.max_rows:,} rows at once"
    )


def xlsx_rows(
    file: IO[bytes], *, limits: XlsxLimits, sheet: str | None = None, sheet_required: bool = False
) -> list[tuple[int, list[str]]]:
    """(Excel row number, cell texts without trailing blanks) of the heading row and every
    non-blank row below it,
    from `sheet` (or, when it is missing and not required, the first sheet). Raises
    UploadRefused (SheetMissing when a required sheet is missing)."""
    deadline = time.monotonic() + limits.max_seconds
    xlsx_check(file, limits=limits)
    bad_file = (zipfile.BadZipFile, InvalidFileException, SyntaxError, ParseError, KeyError, OSError, ValueError)
    try:
        with zipfile.ZipFile(file) as archive:
            _no_dtds(archive)
            _shared_strings_check(archive, limits, deadline)
    except UploadRefused:
        raise
    except (*bad_file, TypeError, EOFError) as error:
        raise UploadRefused(NOT_XLSX) from error
    finally:
        file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (*bad_file, TypeError) as error:
        raise UploadRefused(NOT_XLSX) from error
    try:
        if sheet is not None and sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        elif sheet_required:
            raise SheetMissing(f"The workbook has no sheet called {sheet}")
        elif workbook.worksheets:
            worksheet = workbook.worksheets[0]
        else:
            raise UploadRefused(NOT_XLSX)
        # The declared size (<dimension ref="A1:XFD1048576">) would pad every row and fill
        # every missing row up to it: ignore it, and read one row past the limit.
        worksheet.reset_dimensions()
        last_allowed = limits.max_rows + 1  # the heading row, then max_rows rows
        rows: list[tuple[int, list[str]]] = []
        cells = worksheet.iter_rows(max_row=last_allowed + 1, max_col=limits.max_columns, values_only=True)
        for number, raw in enumerate(cells, start=1):
            if number > last_allowed:
                raise too_many_rows_error(limits)
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise too_slow()
            texts = [cell_text(value) for value in raw]
            if any(len(text) > EXCEL_CELL_MAX for text in texts):
                raise cell_too_long()
            if number > 1 and not any(texts):
                continue
            while texts and texts[-1] == "":
                texts.pop()
            rows.append((number, texts))
    except UploadRefused:
        raise
    except (*bad_file, TypeError, IndexError) as error:
        raise UploadRefused(NOT_XLSX) from error
    finally:
        workbook.close()
    return rows
