"""The CSV twin of the workbook opener (`reporting.uploads`): the same limits (`XlsxLimits`:
size, rows counting blank ones, width, cell length, time), the same messages and the same
result, `[(row number, cell texts without trailing blanks)]` for the heading row and every
non-blank row below it. For feeds that arrive as CSV files (the ESR feed).

A CSV file is text: it is decoded as UTF-8 (with or without the byte-order mark Excel's
"CSV UTF-8" writes), else as Windows-1252 (Excel's plain "CSV"). A workbook (.xlsx or .xls)
renamed .csv, or a file with NUL bytes, is refused with a plain message. Our formula
escaping (a leading apostrophe) is undone as for a workbook cell.

`csv_rows_stream` yields the same rows one at a time without holding the file's text or its
rows (a feed of 50,000 rows is read in constant memory): the bytes are checked once for the
encoding (incrementally), then decoded and parsed as a stream. `csv_rows` is its list.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
from collections.abc import Iterator
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


CHUNK = 256 * 1024


def _check_bytes(file: IO[bytes], limits: XlsxLimits) -> str:
    """Size, workbook and NUL checks, then the encoding, reading the file in chunks (nothing
    kept). Returns the encoding. Leaves `file` at its start."""
    size = file_size(file)
    if size is not None and size > limits.max_file_bytes:
        raise UploadRefused(f"The file is too large: upload at most {limits.max_file_bytes // MB} MB")
    head = file.read(8)
    file.seek(0)
    if head.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        raise UploadRefused(WORKBOOK_NOT_CSV)
    decoders = {encoding: codecs.getincrementaldecoder(encoding)() for encoding in ENCODINGS}
    total = 0
    while chunk := file.read(CHUNK):
        total += len(chunk)
        if total > limits.max_file_bytes:
            file.seek(0)
            raise UploadRefused(f"The file is too large: upload at most {limits.max_file_bytes // MB} MB")
        if b"\x00" in chunk:
            file.seek(0)
            raise UploadRefused(NOT_CSV)
        for encoding in list(decoders):
            try:
                decoders[encoding].decode(chunk)
            except UnicodeDecodeError:
                del decoders[encoding]
    for encoding in list(decoders):
        try:
            decoders[encoding].decode(b"", final=True)
        except UnicodeDecodeError:
            del decoders[encoding]
    file.seek(0)
    if not decoders:
        raise UploadRefused(NOT_CSV)
    return next(encoding for encoding in ENCODINGS if encoding in decoders)


def _reader(text: IO[str]):
    sample = text.read(64 * 1024)
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(text, dialect)


def csv_rows_stream(file: IO[bytes], *, limits: XlsxLimits) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts without trailing blanks) of the heading row and every
    non-blank row below it, at most `max_columns` wide, one at a time. Raises UploadRefused
    (the file checks before the first row)."""
    encoding = _check_bytes(file, limits)
    return _stream(file, encoding, limits)


def _stream(file: IO[bytes], encoding: str, limits: XlsxLimits) -> Iterator[tuple[int, list[str]]]:
    deadline = time.monotonic() + limits.max_seconds
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        reader = _reader(text)
        last_allowed = limits.max_rows + 1  # the heading row, then max_rows rows
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
                yield number, texts
        except csv.Error as error:
            if "field larger than field limit" in str(error):  # csv's own bound, 128 KB
                raise cell_too_long() from error
            raise UploadRefused(NOT_CSV) from error
    finally:
        text.detach()  # the caller's file stays open


def csv_rows(file: IO[bytes], *, limits: XlsxLimits) -> list[tuple[int, list[str]]]:
    """Every row of `csv_rows_stream` in a list. Raises UploadRefused."""
    return list(csv_rows_stream(file, limits=limits))
