"""The CSV twin of the workbook opener (`reporting.uploads`): the same limits (`XlsxLimits`:
size, rows counting blank ones, width, cell length, time), the same messages and the same
result, `[(row number, cell texts without trailing blanks)]` for the heading row and every
non-blank row below it. For feeds that arrive as CSV files (the ESR feed).

A CSV file is text: it is decoded as UTF-8 (with or without the byte-order mark Excel's
"CSV UTF-8" writes), else as Windows-1252 (Excel's plain "CSV"). A workbook (.xlsx or .xls)
renamed .csv, or a file with NUL bytes, is refused with a plain message. Our formula
escaping (a leading apostrophe) is undone as for a workbook cell.
"""

from __future__ import annotations

import csv
import io
import time
from typing import IO

from reporting.excel import cell_text, file_size
from reporting.uploads import (
    EXCEL_CELL_MAX,
    MB,
    UploadRefused,
    XlsxLimits,
    cell_too_long,
    too_many_rows_error,
    too_slow,
)

NOT_CSV = "The file is not a CSV file, or it is damaged: save it as CSV (comma delimited) and upload it again"
WORKBOOK_NOT_CSV = "The file is an Excel workbook, not a CSV file: save it as CSV (comma delimited) and upload that"
ENCODINGS = ("utf-8-sig", "cp1252")


def _text(file: IO[bytes], limits: XlsxLimits) -> str:
    size = file_size(file)
    if size is not None and size > limits.max_file_bytes:
        raise UploadRefused(f"The file is too large: upload at most {limits.max_file_bytes // MB} MB")
    data = file.read(limits.max_file_bytes + 1)
    file.seek(0)
    if len(data) > limits.max_file_bytes:
        raise UploadRefused(f"The file is too large: upload at most {limits.max_file_bytes // MB} MB")
    if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        raise UploadRefused(WORKBOOK_NOT_CSV)
    if b"\x00" in data:
        raise UploadRefused(NOT_CSV)
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRefused(NOT_CSV)


def _reader(text: str):
    try:
        dialect = csv.Sniffer().sniff(text[: 64 * 1024], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def csv_rows(file: IO[bytes], *, limits: XlsxLimits) -> list[tuple[int, list[str]]]:
    """(row number, cell texts without trailing blanks) of the heading row and every
    non-blank row below it, at most `max_columns` wide. Raises UploadRefused."""
    deadline = time.monotonic() + limits.max_seconds
    reader = _reader(_text(file, limits))
    last_allowed = limits.max_rows + 1  # the heading row, then max_rows rows
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, raw in enumerate(reader, start=1):
            if number > last_allowed:
                raise too_many_rows_error(limits)
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise too_slow()
            texts = [cell_text(value) for value in raw[: limits.max_columns]]
            if any(len(text) > EXCEL_CELL_MAX for text in texts):
                raise cell_too_long()
            if number > 1 and not any(texts):
                continue
            while texts and texts[-1] == "":
                texts.pop()
            rows.append((number, texts))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # csv's own bound, 128 KB
            raise cell_too_long() from error
        raise UploadRefused(NOT_CSV) from error
    return rows
