"""What a framework's rows are, shared by its spreadsheet import (`framework_import`), its
versions (`frameworks`) and its JSON files (`framework_json`): the spreadsheet's layout and
limits, the row, the errors, and a version's rows read back (export, comparison)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from core.exceptions import ServiceError
from passports.models import FrameworkVersion
from reporting.excel import workbook_write

SHEET_TITLE = "Proficiencies"
COLUMNS = ["Section", "Proficiency", "Description (HTML)", "Optional", "Supernumerary"]
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
READ_SECONDS = 30  # the upload is read in the request: give up well before a proxy would
NAME_MAX_LENGTH = 250  # Framework.name and Section.name
PROFICIENCY_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 20_000


class FrameworkError(ServiceError):
    """A business rule refused the change; the message is written for platform staff, and
    `problems` lists every problem of a spreadsheet ("Row 7: ...")."""

    def __init__(self, message: str, problems: list[str] | None = None, *, field: str | None = None):
        super().__init__(message, field=field)
        self.problems = problems or []


class FrameworkVersionLocked(FrameworkError):
    """Someone tried to change a published or retired version."""


@dataclass(frozen=True)
class ProficiencyRow:
    """One proficiency as read from a spreadsheet or JSON file (description sanitised)."""

    section: str
    name: str
    description_html: str = ""
    is_optional: bool = False
    is_supernumerary: bool = False
    row: int | None = None  # Excel row number, when read from a spreadsheet

    def content(self) -> tuple:
        return (self.section, self.name, self.description_html, self.is_optional, self.is_supernumerary)


def framework_version_rows(version: FrameworkVersion) -> list[ProficiencyRow]:
    """The version's proficiencies in order, as rows (for export and comparison)."""
    return [
        ProficiencyRow(
            section=p.section.name,
            name=p.name,
            description_html=p.description_html,
            is_optional=p.is_optional,
            is_supernumerary=p.is_supernumerary,
        )
        for p in version.proficiencies.select_related("section").order_by("position")
    ]


def framework_version_export(*, version: FrameworkVersion, stream: IO[bytes]) -> int:
    """Write the version to `stream` in the import format (openpyxl write-only; formula-like
    text escaped by `reporting.excel`). Returns the number of proficiencies."""

    def rows():
        for p in version.proficiencies.select_related("section").order_by("position").iterator(chunk_size=500):
            yield [p.section.name, p.name, p.description_html, p.is_optional, p.is_supernumerary]

    return workbook_write(stream=stream, sheet_title=SHEET_TITLE, headers=COLUMNS, rows=rows())


def framework_version_filename(version: FrameworkVersion) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in version.framework.name.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"{slug[:60] or 'framework'}-version-{version.number}.xlsx"
