"""Issue 12 finding 10: after a centre adds a must-answer registration prompt, the freshly
downloaded "current delegates" workbook failed on every existing delegate with no answer yet,
so "download current delegates, add rows, upload" stopped working. An answer left as the
delegate has it is not judged again; new rows and changed answers still are."""

import io

import pytest
from openpyxl import load_workbook

from centres.bulk.columns import DELEGATES_SHEET
from centres.bulk.download import delegates_workbook
from centres.bulk.reading import read_workbook
from centres.bulk.validation import validate
from centres.models import RegistrationPrompt
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _rows_after(centre, change) -> list:
    book = load_workbook(io.BytesIO(delegates_workbook(centre=centre, include_delegates=True)))
    sheet = book[DELEGATES_SHEET]
    headings = [cell.value for cell in sheet[1]]
    change(sheet, headings)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return read_workbook(out)


def test_a_new_must_answer_prompt_does_not_fail_unchanged_delegates():
    centre = CentreFactory()
    before = [MembershipFactory(centre=centre) for _ in range(3)]
    answered = MembershipFactory(centre=centre, answer1="Ward 1")
    RegistrationPrompt.objects.create(
        centre=centre, position=1, text="Ward", is_mandatory=True, options=["Ward 1", "Ward 2"]
    )

    def add_and_change(sheet, headings):
        column = {name: index for index, name in enumerate(headings)}
        for cells in sheet.iter_rows(min_row=2):
            if cells[column["DelegateID"]].value == before[0].delegate_number:
                cells[column["FirstName"]].value = "Renamed"  # a change elsewhere in the row
            if cells[column["DelegateID"]].value == answered.delegate_number:
                cells[column["Answer1"]].value = None  # clearing a given answer is still refused
        new = {"LastName": "New", "FirstName": "Nia", "EmailAddress": "nia@trust.example", "JobGroupID": 1}
        new |= {"Active": True}
        sheet.append([new.get(name) for name in headings])
        sheet.append([{**new, "EmailAddress": "ok@trust.example", "Answer1": "Ward 2"}.get(name) for name in headings])

    preview = validate(centre=centre, rows=_rows_after(centre, add_and_change))
    by_row = {result.row: result for result in preview.results}
    assert preview.count("unchanged") == 2  # before[1], before[2]: the old code made them errors
    assert preview.count("update") == 1  # before[0] renamed, still no answer
    assert preview.count("new") == 1
    errors = {result.row: result.messages for result in preview.errors}
    assert len(errors) == 2
    assert all(messages == ["Answer1: Answer “Ward”"] for messages in errors.values())
    last = max(by_row)
    assert last - 1 in errors  # the new row without an answer
    assert by_row[last].status == "new"
