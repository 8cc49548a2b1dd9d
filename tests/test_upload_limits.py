"""Issue 12 finding 4: decompression bombs. Hostile workbooks (built part by part, see
reporting/tests/hostile_xlsx.py) given to BOTH upload readers (centres' bulk upload and
passports' framework spreadsheet) are refused with a clear message, quickly and in little
memory; a workbook that merely declares a huge size is still read. The limits are
reporting.uploads'; these tests use the real ones, not shrunk copies."""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
from centres.bulk.reading import MAX_DATA_ROWS, BulkFileError, read_workbook
from centres.models import BulkUpload
from centres.roles import Role
from passports.services.framework_import import framework_spreadsheet_read
from passports.services.framework_rows import COLUMNS as FRAMEWORK_COLUMNS
from passports.services.framework_rows import MAX_ROWS as FRAMEWORK_ROWS
from passports.services.framework_rows import SHEET_TITLE, FrameworkError
from reporting.tests.hostile_xlsx import inline_row, shared_strings_xml, sheet_xml, xlsx
from reporting.uploads import EXCEL_CELL_MAX
from tests.factories import CentreFactory, MembershipFactory

SECONDS = 10.0  # generous for a loaded 2-core machine; the bombs took minutes before
PEAK_BYTES = 64 * 1024 * 1024  # Python allocations while reading (the bombs took 1-2 GB)


def _bulk(content: bytes) -> str:
    try:
        read_workbook(io.BytesIO(content))
    except BulkFileError as error:
        return error.message
    return "read"


def _framework(content: bytes) -> str:
    try:
        framework_spreadsheet_read(io.BytesIO(content))
    except FrameworkError as error:
        return error.message
    return "read"


READERS = {
    "bulk": (_bulk, DELEGATES_SHEET, COLUMNS, MAX_DATA_ROWS),
    "framework": (_framework, SHEET_TITLE, FRAMEWORK_COLUMNS, FRAMEWORK_ROWS),
}
reader_names = st.sampled_from(sorted(READERS))


def _read_within_limits(read, content: bytes) -> str:
    tracemalloc.start()
    started = time.monotonic()
    try:
        message = read(content)
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"
    return message


def _header(columns) -> str:
    return inline_row(1, list(columns))


@settings(max_examples=6, deadline=None)
@given(reader=reader_names, extra=st.integers(min_value=2, max_value=300_000))
def test_empty_rows_past_the_limit_are_refused_counting_blank_rows(reader, extra):
    read, sheet, columns, limit = READERS[reader]
    empty = "".join(f'<row r="{n}"/>' for n in range(2, limit + extra + 2))
    content = xlsx(sheet_xml(_header(columns) + empty), sheet_name=sheet)
    message = _read_within_limits(read, content)
    assert message.startswith("The file has too many rows")
    assert "empty rows count too" in message


@settings(max_examples=4, deadline=None)
@given(reader=reader_names, row=st.integers(min_value=30_000, max_value=1_048_576))
def test_a_huge_dimension_and_one_far_away_cell_is_refused(reader, row):
    read, sheet, columns, _limit = READERS[reader]
    rows = _header(columns) + inline_row(row, ["far away"])
    content = xlsx(sheet_xml(rows, dimension="A1:XFD1048576"), sheet_name=sheet)
    assert _read_within_limits(read, content).startswith("The file has too many rows")


@settings(max_examples=4, deadline=None)
@given(reader=reader_names)
def test_a_huge_declared_dimension_alone_is_read_normally(reader):
    """openpyxl would pad every row to 16,384 columns and add a million empty rows."""
    read, sheet, columns, _limit = READERS[reader]
    if reader == "bulk":
        data = inline_row(2, ["Okafor", "Ada", "", "", "1", "", "", "", "", "", "", "TRUE", "ada@trust.nhs.example"])
    else:
        data = inline_row(2, ["Cannulation", "Insert a cannula"])
    content = xlsx(sheet_xml(_header(columns) + data, dimension="A1:XFD1048576"), sheet_name=sheet)
    assert _read_within_limits(read, content) == "read"


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reader=reader_names, count=st.integers(min_value=300_001, max_value=1_000_000))
def test_a_giant_shared_strings_table_is_refused_before_it_is_loaded(reader, count):
    read, sheet, columns, _limit = READERS[reader]
    content = xlsx(sheet_xml(_header(columns)), sheet_name=sheet, shared_strings=shared_strings_xml(count))
    assert "too large once opened" in _read_within_limits(read, content)


@settings(max_examples=4, deadline=None)
@given(reader=reader_names, declared=st.integers(min_value=1_000_000, max_value=2**31 - 1))
def test_a_shared_strings_count_that_lies_costs_nothing(reader, declared):
    read, sheet, columns, _limit = READERS[reader]
    content = xlsx(
        sheet_xml(_header(columns)), sheet_name=sheet, shared_strings=shared_strings_xml(3, declared=declared)
    )
    message = _read_within_limits(read, content)
    assert "too large" not in message
    assert "not an Excel workbook" not in message


@settings(max_examples=4, deadline=None)
@given(reader=reader_names, length=st.integers(min_value=EXCEL_CELL_MAX + 1, max_value=1_000_000))
def test_a_huge_cell_is_refused(reader, length):
    read, sheet, columns, _limit = READERS[reader]
    content = xlsx(sheet_xml(_header(columns) + inline_row(2, ["x" * length])), sheet_name=sheet)
    message = _read_within_limits(read, content)
    assert message == f"A cell holds more than {EXCEL_CELL_MAX:,} characters, more than Excel allows"


@settings(max_examples=4, deadline=None)
@given(reader=reader_names, depth=st.integers(min_value=3, max_value=9), where=st.sampled_from(["sheet", "strings"]))
def test_cells_made_of_nested_entities_are_refused(reader, depth, where):
    """'Billion laughs': each entity is ten of the one before."""
    read, sheet, columns, _limit = READERS[reader]
    entities = '<!ENTITY e0 "laugh">' + "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, depth + 1))
    if where == "sheet":
        prolog = f"<!DOCTYPE worksheet [{entities}]>"
        rows = _header(columns) + f'<row r="2"><c r="A2" t="inlineStr"><is><t>&e{depth};</t></is></c></row>'
        content = xlsx(sheet_xml(rows, prolog=prolog), sheet_name=sheet)
    else:
        strings = (
            f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [{entities}]>'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e{depth};</t></si></sst>'
        ).encode()
        content = xlsx(sheet_xml(_header(columns)), sheet_name=sheet, shared_strings=strings)
    assert "not an Excel workbook (.xlsx), or it is damaged" in _read_within_limits(read, content)


@settings(max_examples=4, deadline=None)
@given(reader=reader_names, megabytes=st.integers(min_value=2, max_value=60))
def test_an_absurd_compression_ratio_is_refused(reader, megabytes):
    """Whitespace between elements is valid XML and compresses about a thousand to one."""
    read, sheet, columns, _limit = READERS[reader]
    padding = " " * (megabytes * 1024 * 1024)
    content = xlsx(sheet_xml(_header(columns) + padding), sheet_name=sheet)
    assert len(content) < megabytes * 1024 * 1024 // 100
    assert "too large once opened" in _read_within_limits(read, content)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_a_sheet_that_unpacks_past_the_part_limit_is_refused_unread(reader):
    read, sheet, columns, _limit = READERS[reader]
    empty = '<row r="2"/>' * 6_000_000  # 72 MB of XML, about 80 KB zipped
    content = xlsx(sheet_xml(_header(columns) + empty), sheet_name=sheet)
    assert "too large once opened" in _read_within_limits(read, content)


@pytest.mark.django_db
def test_the_upload_page_refuses_a_bomb_at_once_and_keeps_nothing(login_as):
    centre = CentreFactory()
    admin = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    client = login_as(admin.user, centre)
    bomb = xlsx(sheet_xml(_header(COLUMNS) + " " * (40 * 1024 * 1024)), sheet_name=DELEGATES_SHEET)
    response = client.post(reverse("centres:delegates_bulk"), {"file": SimpleUploadedFile("bomb.xlsx", bomb)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The file is too large once opened" in html
    assert BulkUpload.objects.count() == 0
