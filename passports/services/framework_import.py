"""P1 reading and checking a framework spreadsheet: the read and validate steps of the
framework upload's import kind (`reporting.imports`; the kind and its commit are registered
by `frameworks.framework_import_register`).

The spreadsheet (.xlsx) has one sheet, "Proficiencies", one row per proficiency:

    Section | Proficiency | Description (HTML) | Optional | Supernumerary

Optional and Supernumerary are TRUE or FALSE (blank means FALSE). Descriptions are sanitised
(`core.html.sanitise_html`). Every row is checked and every problem reported with its
Excel row number before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from core.html import sanitise_html
from passports.services.framework_rows import (
    COLUMNS,
    DESCRIPTION_MAX_LENGTH,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NAME_MAX_LENGTH,
    PROFICIENCY_MAX_LENGTH,
    READ_SECONDS,
    SHEET_TITLE,
    FrameworkError,
    ProficiencyRow,
)
from reporting.imports import ERROR, NEW, ImportPreview, RowOutcome
from reporting.uploads import UploadRefused, XlsxLimits, xlsx_rows

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


@dataclass
class ProficiencyOutcome(RowOutcome):
    proficiency: ProficiencyRow | None = None


def upload_limits() -> XlsxLimits:
    """Read when called, so the limits follow the module's constants."""
    return XlsxLimits(
        max_file_bytes=MAX_FILE_BYTES,
        max_rows=MAX_ROWS,
        what=f"{MAX_ROWS:,} proficiencies",
        max_seconds=READ_SECONDS,
        too_many_rows=(
            f"The file has too many rows: a framework can have at most {MAX_ROWS:,} "
            "(empty rows count too: delete any below your proficiencies)"
        ),
    )


def _load_rows(file) -> list[tuple[int, list[str]]]:
    """(Excel row number, cell texts) for the header (row 1) and every non-blank row, within
    reporting.uploads' limits (size, parts, rows, time)."""
    try:
        return xlsx_rows(file, limits=upload_limits(), sheet=SHEET_TITLE)
    except UploadRefused as error:
        raise FrameworkError(error.message) from error


def _boolean(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return None


def framework_rows_read(file: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    """The import kind's read: (Excel row number, {column: text}) for every row below the
    headings. Raises FrameworkError for a file that cannot be used at all."""
    rows = _load_rows(file)
    if not rows:
        raise FrameworkError("The file is empty: the first row must hold the column headings")
    header = rows[0][1]
    while header and header[-1] == "":
        header.pop()
    problems = [f"Column “{name}” is missing" for name in COLUMNS if name not in header]
    problems += [f"Column “{name}” is not one we know" for name in header if name and name not in COLUMNS]
    if problems:
        raise FrameworkError(
            "The first row must hold the column headings: " + ", ".join(COLUMNS) + ". " + "; ".join(problems) + ".",
            problems,
        )
    positions = {name: header.index(name) for name in COLUMNS}
    data = [
        (number, {name: (texts[pos] if pos < len(texts) else "") for name, pos in positions.items()})
        for number, texts in rows[1:]
    ]
    if not data:
        raise FrameworkError("The file has no proficiencies in it: add one proficiency per row below the headings")
    return data


def _section_problems(section: str) -> list[str]:
    if not section:
        return ["Section is blank: enter the name of the section the proficiency belongs to"]
    if len(section) > NAME_MAX_LENGTH:
        return [f"Section must be {NAME_MAX_LENGTH} characters or fewer (it has {len(section)})"]
    return []


def _name_problems(name: str) -> list[str]:
    if not name:
        return ["Proficiency is blank: enter the proficiency's name"]
    if len(name) > PROFICIENCY_MAX_LENGTH:
        return [f"Proficiency must be {PROFICIENCY_MAX_LENGTH} characters or fewer (it has {len(name)})"]
    return []


def _flag_problems(values: dict[str, str]) -> list[str]:
    problems = []
    for column in ("Optional", "Supernumerary"):
        if _boolean(values[column]) is None:
            problems.append(f"{column} must be TRUE or FALSE, not “{values[column][:40]}”")
    return problems


def _row_check(number: int, values: dict[str, str], seen: dict[tuple[str, str], int]) -> ProficiencyOutcome:
    """One row's outcome; `seen` holds the (section, name) pairs of the rows before it."""
    section, name, description = values["Section"], values["Proficiency"], values["Description (HTML)"]
    problems = _section_problems(section) + _name_problems(name)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        problems.append(f"Description (HTML) must be {DESCRIPTION_MAX_LENGTH:,} characters or fewer")
    problems += _flag_problems(values)
    if section and name:
        duplicate_key = (section.casefold(), name.casefold())
        if duplicate_key in seen:
            problems.append(
                f"“{name[:80]}” is already in section “{section[:80]}” (row {seen[duplicate_key]}): "
                "each proficiency must appear once in its section"
            )
        else:
            seen[duplicate_key] = number
    if problems:
        return ProficiencyOutcome(row=number, status=ERROR, messages=problems)
    proficiency = ProficiencyRow(
        section=section,
        name=name,
        description_html=sanitise_html(description),
        is_optional=bool(_boolean(values["Optional"])),
        is_supernumerary=bool(_boolean(values["Supernumerary"])),
        row=number,
    )
    return ProficiencyOutcome(row=number, status=NEW, proficiency=proficiency)


def framework_rows_validate(*, rows: list[tuple[int, dict[str, str]]], progress=None, **_context) -> ImportPreview:
    """The import kind's validate: every row new (a draft is written whole) or an error."""
    seen: dict[tuple[str, str], int] = {}
    results = []
    for index, (number, values) in enumerate(rows):
        if progress is not None:
            progress(index, len(rows))
        results.append(_row_check(number, values, seen))
    return ImportPreview(rows=rows, results=results)


def framework_preview_refusal(preview: ImportPreview) -> FrameworkError | None:
    """The error listing every problem ("Row 7: ..."), or None when every row is good."""
    problems = [f"Row {result.row}: {message}" for result in preview.errors for message in result.messages]
    if not problems:
        return None
    count = len(problems)
    return FrameworkError(
        f"The file has {count} problem{'' if count == 1 else 's'}. Nothing has been saved: "
        "correct the spreadsheet and upload it again.",
        problems,
    )


def preview_proficiencies(preview: ImportPreview) -> list[ProficiencyRow]:
    return [result.proficiency for result in preview.results]


def framework_spreadsheet_read(file: IO[bytes]) -> list[ProficiencyRow]:
    """Every row of a framework spreadsheet, checked. Raises FrameworkError whose `problems`
    lists every problem ("Row 7: ..."), so nothing is written from a file with any error."""
    preview = framework_rows_validate(rows=framework_rows_read(file))
    refusal = framework_preview_refusal(preview)
    if refusal is not None:
        raise refusal
    return preview_proficiencies(preview)
