"""Issue 16 item 12: report workbooks say which filters made them, in a block above the table
(`report_header_block` + `workbook_write(header_block=...)`); the table below keeps its bold,
frozen, filtered header row and the formula escaping."""

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import load_workbook

from reporting.excel import report_header_block, table_rows, workbook_write


def _written(**kwargs):
    stream = io.BytesIO()
    count = workbook_write(stream=stream, sheet_title="Report", **kwargs)
    return count, load_workbook(io.BytesIO(stream.getvalue())).active


def test_header_block_sits_above_a_frozen_filtered_table():
    made = timezone.make_aware(datetime(2026, 12, 3, 9, 30))
    filters = [("Risk level", "Red"), ("Locality", "=cmd")]
    block = report_header_block(title="Referral data", filters=filters, made_at=made)
    count, sheet = _written(headers=["Name", "Risk"], rows=[["Ada", "Red"], ["Bob", "Red"]], header_block=block)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Report", "Referral data")
    assert rows[1] == ("Made", datetime(2026, 12, 3, 9, 30))
    assert rows[2] == ("Risk level", "Red")
    assert rows[3] == ("Locality", "'=cmd"), "filter values are escaped like every other cell"
    assert rows[4] == (None, None)
    assert sheet["A1"].font.b
    assert sheet["A3"].font.b
    assert not sheet["B3"].font.b
    assert sheet["B2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["A6"].font.b, "the table's header row is bold"
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref == "A6:B8"
    assert count == 2
    assert table_rows(rows) == [("Name", "Risk"), ("Ada", "Red"), ("Bob", "Red")]


def test_without_a_block_the_table_starts_at_the_top():
    _, sheet = _written(headers=["Name"], rows=[["Ada"]])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:A2"
    assert table_rows(list(sheet.iter_rows(values_only=True))) == [("Name",), ("Ada",)]
