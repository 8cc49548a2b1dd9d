"""Driving django-import-export's admin pages with the test client as a person would: the
export form, then the import page (preview) and its confirm page (ADR 0031)."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

FORMATS = {"csv": 0, "xlsx": 1}  # ReferenceAdminMixin.formats, in order


def _url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def admin_export(client, model, resource_class, file_format: str) -> bytes:
    """The export page's form posted with every column ticked: the file's bytes."""
    prefix = resource_class.__name__.lower()
    data = {"format": FORMATS[file_format], "resource": 0}
    data |= {f"{prefix}_{name}": "on" for name in resource_class().fields}
    response = client.post(_url(model, "export"), data)
    assert response.status_code == 200, response.content[:500]
    assert response.headers["Content-Disposition"].endswith(f'.{file_format}"')
    return response.content


def admin_import_preview(client, model, content: bytes, file_format: str, name: str = ""):
    upload = SimpleUploadedFile(name or f"reference.{file_format}", content)
    return client.post(_url(model, "import"), {"format": FORMATS[file_format], "resource": 0, "import_file": upload})


def admin_import(client, model, content: bytes, file_format: str, name: str = ""):
    """Upload on the import page, check its preview has no errors, confirm: the confirm
    page's response (a redirect to the list)."""
    preview = admin_import_preview(client, model, content, file_format, name)
    assert preview.status_code == 200, preview.content[:500]
    result = preview.context["result"]
    assert not result.has_errors(), [row.errors for row in result.rows]
    assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows]
    confirm = preview.context["confirm_form"]
    data = {name: confirm.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")}
    return client.post(_url(model, "process_import"), data)


def rows_of(content: bytes, file_format: str) -> list[list[str]]:
    """Every row of an exported file, the header first, cells as text."""
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def file_of(rows: list[list], file_format: str) -> bytes:
    """A file of `rows` (the header first) as a person would save it."""
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(content: bytes, file_format: str, match: dict, changes: dict) -> bytes:
    """The exported file with `changes` (column -> value) made in the rows whose cells equal
    `match` (column -> value)."""
    rows = rows_of(content, file_format)
    header = rows[0]
    for row in rows[1:]:
        if all(row[header.index(column)] == value for column, value in match.items()):
            for column, value in changes.items():
                row[header.index(column)] = value
    return file_of(rows, file_format)
