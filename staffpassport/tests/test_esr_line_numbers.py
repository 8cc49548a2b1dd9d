"""The ESR preview and command name a bad row by its line in the file, the heading being
line 1 (the line a text editor shows, the row Excel shows), and say so: the 23rd staff row
is line 24."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from centres.roles import Role
from staffpassport.models import StaffMember
from staffpassport.tests.esr_helpers import esr_file, person_row
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def _feed_whose_23rd_staff_row_is_bad():
    rows = [f"{person_row(f'4000{index:04}', 'Ann', f'Lee{chr(65 + index)}')},,,," for index in range(22)]
    rows.append(f"{person_row('', 'No', 'Number')},,,,")
    return esr_file(*rows)


def test_the_preview_names_the_line_in_the_file_and_says_how_lines_are_counted(role_member, login_as):
    trust = CentreFactory(code="LTHT")
    client = login_as(role_member(trust, Role.SENIOR_PORTAL_ADMIN).user, trust)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's check (eager in tests)
        response = client.post(
            reverse("staffpassport:esr_upload"),
            {"file": SimpleUploadedFile("feed.csv", _feed_whose_23rd_staff_row_is_bad().getvalue())},
        )
    page = client.get(response["Location"]).content.decode()
    assert "1 row to correct" in page
    flat = re.sub(r"\s+", " ", page)
    assert 'role="columnheader" > Line in the file </th>' in flat
    assert "Line numbers count the heading as line 1, so the first staff row is line 2" in flat
    assert '<span class="nhsuk-table__heading" aria-hidden="true">Line in the file </span>24 </td>' in flat
    assert not StaffMember.objects.exists()


def test_the_command_names_the_same_line(tmp_path, capsys):
    CentreFactory(code="ESRL")
    path = tmp_path / "feed.csv"
    path.write_bytes(_feed_whose_23rd_staff_row_is_bad().getvalue())
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_esr_feed", str(path), "--centre", "ESRL")
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert "Line 24: Enter the assignment number" in out
    assert "Row 24" not in out
