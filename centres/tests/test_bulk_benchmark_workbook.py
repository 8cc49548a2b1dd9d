"""The bulk upload benchmark (benchmarks/bulk_upload.py) measures the happy path: its generated
workbooks must validate without errors, or it would silently time error reporting instead."""

import io

import pytest

from benchmarks.bulk_upload import changed_rows, delegate_rows, numbered_rows, prompts_create, workbook_bytes
from centres.bulk.reading import read_workbook
from centres.bulk.saving import commit
from centres.bulk.validation import NEW, UNCHANGED, UPDATE, validate
from centres.models import Membership
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db


def preview_of(centre, rows):
    return validate(centre=centre, rows=read_workbook(io.BytesIO(workbook_bytes(rows))))


def test_generated_workbook_validates_as_all_new_then_unchanged_then_all_updates():
    centre = CentreFactory()
    prompts_create(centre)
    rows = delegate_rows(50)
    assert sum(1 for row in rows if row["HasPRN"] is True and row["PRN"]) == 25

    preview = preview_of(centre, rows)
    assert preview.summary()["errors"] == []
    assert preview.count(NEW) == 50

    commit(centre=centre, preview=preview, uploaded_by=UserFactory(), file_name="bench.xlsx")
    numbers = dict(Membership.objects.for_centre(centre).values_list("user__email", "delegate_number"))
    again = preview_of(centre, numbered_rows(rows, numbers))
    assert again.summary()["errors"] == []
    assert again.count(UNCHANGED) == 50

    changed = changed_rows(rows, numbers)
    updates = preview_of(centre, changed)
    assert updates.summary()["errors"] == []
    assert updates.count(UPDATE) == 50

    # The updates land (on PostgreSQL through UPDATE ... FROM (VALUES ...)): the file is then unchanged.
    result = commit(centre=centre, preview=updates, uploaded_by=UserFactory(), file_name="bench.xlsx")
    assert result.updated == 50
    assert preview_of(centre, changed).count(UNCHANGED) == 50
    ward = Membership.objects.for_centre(centre).get(user__email=changed[0]["EmailAddress"]).answer1
    assert ward == changed[0]["Answer1"] != rows[0]["Answer1"]
