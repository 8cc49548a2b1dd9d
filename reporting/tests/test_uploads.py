"""reporting.uploads' guard on its own, each limit separately (tests/test_upload_limits.py
gives hostile workbooks to the real readers)."""

import io
from dataclasses import replace

import pytest

from reporting.tests.hostile_xlsx import inline_row, shared_strings_xml, sheet_xml, xlsx
from reporting.uploads import UploadRefused, XlsxLimits, xlsx_check, xlsx_rows

LIMITS = XlsxLimits(max_file_bytes=10 * 1024 * 1024, max_rows=100, what="100 rows")
NO_RATIO = replace(LIMITS, max_ratio=10**9)


def _refusal(content: bytes, limits: XlsxLimits) -> str:
    with pytest.raises(UploadRefused) as refused:
        xlsx_rows(io.BytesIO(content), limits=limits, sheet="S")
    return refused.value.message


def test_rows_are_read_with_their_numbers_and_blank_rows_skipped():
    rows = inline_row(1, ["A", "B"]) + '<row r="2"/>' + inline_row(3, ["x", "=1"])
    assert xlsx_rows(io.BytesIO(xlsx(sheet_xml(rows), sheet_name="S")), limits=LIMITS, sheet="S") == [
        (1, ["A", "B"]),
        (3, ["x", "=1"]),
    ]


def test_the_shared_strings_count_is_limited_even_when_they_compress_modestly():
    content = xlsx(sheet_xml(inline_row(1, ["A"])), sheet_name="S", shared_strings=shared_strings_xml(2_000))
    assert "too large once opened" in _refusal(content, replace(NO_RATIO, max_shared_strings=1_999))
    assert xlsx_rows(io.BytesIO(content), limits=replace(NO_RATIO, max_shared_strings=2_000), sheet="S")


def test_the_shared_strings_part_size_is_limited():
    content = xlsx(sheet_xml(inline_row(1, ["A"])), sheet_name="S", shared_strings=shared_strings_xml(2_000))
    assert "too large once opened" in _refusal(content, replace(NO_RATIO, max_shared_strings_bytes=10_000))


def test_the_total_and_the_number_of_parts_are_limited():
    content = xlsx(sheet_xml(inline_row(1, ["A"])), sheet_name="S", extra={f"x/{n}.bin": b"1" for n in range(20)})
    with pytest.raises(UploadRefused, match="not an Excel workbook"):
        xlsx_check(io.BytesIO(content), limits=replace(LIMITS, max_parts=10))
    with pytest.raises(UploadRefused, match="too large once opened"):
        xlsx_check(io.BytesIO(content), limits=replace(LIMITS, max_total_bytes=100))


def test_the_time_limit_stops_the_reading():
    rows = "".join(inline_row(n, ["x"]) for n in range(1, 3_000))
    content = xlsx(sheet_xml(rows), sheet_name="S")
    assert "took too long" in _refusal(content, replace(LIMITS, max_rows=10_000, max_seconds=0))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not an Excel workbook"),
        (b"PK\x03\x04 broken", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 50, "password-protected"),
        (b"x" * (10 * 1024 * 1024 + 1), "The file is too large: upload at most 10 MB"),
    ],
)
def test_what_is_not_a_workbook_is_refused_before_parsing(content, message):
    with pytest.raises(UploadRefused, match=message):
        xlsx_check(io.BytesIO(content), limits=LIMITS)
