"""The CSV twin of the workbook opener: the same limits, messages and result shape."""

import io
from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.csv_uploads import NOT_CSV, WORKBOOK_NOT_CSV, csv_rows
from reporting.tests.hostile_xlsx import inline_row, sheet_xml, xlsx
from reporting.uploads import CSV, EXCEL_CELL_MAX, UploadRefused, XlsxLimits, upload_check, xlsx_rows

LIMITS = XlsxLimits(max_file_bytes=1024 * 1024, max_rows=3, what="3 rows", too_many_rows="At most 3 rows, please")


def _refusal(content: bytes, limits: XlsxLimits = LIMITS) -> str:
    with pytest.raises(UploadRefused) as refused:
        csv_rows(io.BytesIO(content), limits=limits)
    return refused.value.message


def test_rows_come_back_as_the_workbook_opener_gives_them():
    content = b"A,B,\r\n\r\nx,'=1,\r\n , \r\n"
    workbook = xlsx(sheet_xml(inline_row(1, ["A", "B"]) + inline_row(3, ["x", "'=1"])), sheet_name="S")
    expected = [(1, ["A", "B"]), (3, ["x", "=1"])]
    assert csv_rows(io.BytesIO(content), limits=LIMITS) == expected
    assert xlsx_rows(io.BytesIO(workbook), limits=LIMITS, sheet="S") == expected


def test_excel_utf8_with_a_byte_order_mark_and_windows_1252_are_read():
    assert csv_rows(io.BytesIO("\ufeffName\r\nZoë\r\n".encode()), limits=LIMITS) == [(1, ["Name"]), (2, ["Zoë"])]
    assert csv_rows(io.BytesIO("Name\r\nZoë\r\n".encode("cp1252")), limits=LIMITS) == [(1, ["Name"]), (2, ["Zoë"])]


def test_quoted_cells_keep_their_commas_and_line_breaks():
    assert csv_rows(io.BytesIO(b'A,B\r\n"Leeds, LS1","two\nlines"\r\n'), limits=LIMITS) == [
        (1, ["A", "B"]),
        (2, ["Leeds, LS1", "two\nlines"]),
    ]


def test_the_row_limit_counts_blank_rows_and_uses_the_same_message():
    assert _refusal(b"H\n1\n\n\n2\n") == "At most 3 rows, please"
    assert csv_rows(io.BytesIO(b"H\n1\n\n2\n"), limits=LIMITS) == [(1, ["H"]), (2, ["1"]), (4, ["2"])]


def test_size_width_and_cell_length_limits():
    assert "too large" in _refusal(b"A\n" + b"x" * 200, replace(LIMITS, max_file_bytes=100))
    assert csv_rows(io.BytesIO(b"A,B,C\n"), limits=replace(LIMITS, max_columns=2)) == [(1, ["A", "B"])]
    assert "more than Excel allows" in _refusal(b"A\n" + b"x" * (EXCEL_CELL_MAX + 1) + b"\n")


def test_workbooks_and_binary_files_are_refused_with_plain_words():
    assert _refusal(xlsx(sheet_xml(inline_row(1, ["A"])), sheet_name="S")) == WORKBOOK_NOT_CSV
    assert _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == WORKBOOK_NOT_CSV
    assert _refusal(b"A\x00B\n") == NOT_CSV


def test_the_one_sniffer_checks_a_csv_upload_by_name_and_size():
    limits = replace(LIMITS, wrong_type="Choose a CSV file", too_large="At most {mb} MB")
    upload_check(SimpleUploadedFile("feed.csv", b"A\n1\n"), limits=limits, extension=CSV)
    with pytest.raises(UploadRefused, match="Choose a CSV file"):
        upload_check(SimpleUploadedFile("feed.xlsx", b"A\n1\n"), limits=limits, extension=CSV)
    with pytest.raises(UploadRefused, match="At most 1 MB"):
        upload_check(SimpleUploadedFile("feed.csv", b"x" * (1024 * 1024 + 1)), limits=limits, extension=CSV)
