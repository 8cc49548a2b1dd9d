"""Issue 12 finding 5: a workbook with a 300-character file name was told "must be an Excel
workbook (.xlsx)" (the name was cut to 250 characters before its extension was checked)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from centres.models import BulkUpload
from centres.tests.test_bulk_import import workbook
from centres.tests.test_bulk_pages import admin_client, centre, people, upload_file  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _named(tmp_path, name: str) -> SimpleUploadedFile:
    path = workbook(tmp_path / "delegates.xlsx", people(1))
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/octet-stream")


def test_a_very_long_file_name_is_told_about_its_length(tmp_path, admin_client):  # noqa: F811
    response = upload_file(admin_client, _named(tmp_path, "d" * 295 + ".xlsx"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file name must be 250 characters or fewer" in page
    assert "must be an Excel workbook" not in page
    assert not BulkUpload.objects.exists()


def test_a_long_name_within_the_limit_is_kept_whole(tmp_path, admin_client):  # noqa: F811
    name = "d" * 245 + ".xlsx"
    response = upload_file(admin_client, _named(tmp_path, name))
    assert response.status_code == 302
    assert BulkUpload.objects.get().file_name == name


def test_a_long_name_of_another_type_is_told_the_type(tmp_path, admin_client):  # noqa: F811
    response = upload_file(admin_client, _named(tmp_path, "d" * 295 + ".csv"))
    assert response.status_code == 400
    assert "must be an Excel workbook (.xlsx)" in response.content.decode()
