"""P1 frameworks: create, import from and export to a spreadsheet, publish, and start a new
draft from the published version.

The versioning guarantee: only a DRAFT version's sections and proficiencies can change.
Publishing makes a version read-only for good (the previous published version is retired;
learners enrolled on it keep it). To change a published framework, start a new draft
(`framework_version_draft_start`), which copies it keeping every `Proficiency.key`, change
the draft (upload a spreadsheet) and publish it. Besides these services, `passports/apps.py`
connects `pre_save` guards so that even a direct `.save()` of a published version's section
or proficiency raises `FrameworkVersionLocked`.

The spreadsheet (.xlsx) has one sheet, "Proficiencies", one row per proficiency:

    Section | Proficiency | Description (HTML) | Optional | Supernumerary

Sections appear in the order of their first row; proficiencies keep the order of their rows
within their section. Optional and Supernumerary are TRUE or FALSE (blank means FALSE).
Descriptions are sanitised (`passports.html.sanitise_html`). Every row is checked and every
problem reported with its Excel row number before anything is written; the write is one
transaction. A proficiency keeps its `key` from the framework's published (else latest)
version when its section and name match (or its name alone, when that is unique), so
results can be matched between versions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from passports.html import sanitise_html
from passports.models import Framework, FrameworkVersion, Proficiency, Section
from reporting.excel import workbook_write
from reporting.uploads import UploadRefused, XlsxLimits, xlsx_rows

SHEET_TITLE = "Proficiencies"
COLUMNS = ["Section", "Proficiency", "Description (HTML)", "Optional", "Supernumerary"]
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
READ_SECONDS = 30  # the upload is read in the request: give up well before a proxy would
NAME_MAX_LENGTH = 250  # Framework.name and Section.name
PROFICIENCY_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 20_000

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}


class FrameworkError(ServiceError):
    """A business rule refused the change; the message is written for platform staff."""

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


# -- reading a spreadsheet -------------------------------------------------------------------


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


def framework_spreadsheet_read(file: IO[bytes]) -> list[ProficiencyRow]:
    """Every row of a framework spreadsheet, checked. Raises FrameworkError whose `problems`
    lists every problem ("Row 7: ..."), so nothing is written from a file with any error."""
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
    data = rows[1:]
    if not data:
        raise FrameworkError("The file has no proficiencies in it: add one proficiency per row below the headings")

    result: list[ProficiencyRow] = []
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for number, texts in data:

        def value(column: str, texts=texts) -> str:
            position = positions[column]
            return texts[position] if position < len(texts) else ""

        section, name = value("Section"), value("Proficiency")
        description, optional, supernumerary = value("Description (HTML)"), value("Optional"), value("Supernumerary")
        row_problems = []
        if not section:
            row_problems.append("Section is blank: enter the name of the section the proficiency belongs to")
        elif len(section) > NAME_MAX_LENGTH:
            row_problems.append(f"Section must be {NAME_MAX_LENGTH} characters or fewer (it has {len(section)})")
        if not name:
            row_problems.append("Proficiency is blank: enter the proficiency's name")
        elif len(name) > PROFICIENCY_MAX_LENGTH:
            row_problems.append(
                f"Proficiency must be {PROFICIENCY_MAX_LENGTH} characters or fewer (it has {len(name)})"
            )
        if len(description) > DESCRIPTION_MAX_LENGTH:
            row_problems.append(f"Description (HTML) must be {DESCRIPTION_MAX_LENGTH:,} characters or fewer")
        is_optional, is_supernumerary = _boolean(optional), _boolean(supernumerary)
        if is_optional is None:
            row_problems.append(f"Optional must be TRUE or FALSE, not “{optional[:40]}”")
        if is_supernumerary is None:
            row_problems.append(f"Supernumerary must be TRUE or FALSE, not “{supernumerary[:40]}”")
        if section and name:
            duplicate_key = (section.casefold(), name.casefold())
            if duplicate_key in seen:
                row_problems.append(
                    f"“{name[:80]}” is already in section “{section[:80]}” (row {seen[duplicate_key]}): "
                    "each proficiency must appear once in its section"
                )
            else:
                seen[duplicate_key] = number
        if row_problems:
            problems.extend(f"Row {number}: {problem}" for problem in row_problems)
            continue
        result.append(
            ProficiencyRow(
                section=section,
                name=name,
                description_html=sanitise_html(description),
                is_optional=bool(is_optional),
                is_supernumerary=bool(is_supernumerary),
                row=number,
            )
        )
    if problems:
        count = len(problems)
        raise FrameworkError(
            f"The file has {count} problem{'' if count == 1 else 's'}. Nothing has been saved: "
            "correct the spreadsheet and upload it again.",
            problems,
        )
    return result


# -- writing a version ------------------------------------------------------------------------


def _ordered(rows: list[ProficiencyRow]) -> list[tuple[str, list[ProficiencyRow]]]:
    """Sections in order of first appearance, each with its rows in file order."""
    sections: dict[str, list[ProficiencyRow]] = {}
    for row in rows:
        sections.setdefault(row.section, []).append(row)
    return list(sections.items())


def _key_lookup(framework: Framework | None):
    """A function (section, name) -> key from the framework's published (else latest) version."""
    reference = None
    if framework is not None:
        versions = framework.versions.exclude(status=FrameworkVersion.Status.DRAFT)
        reference = versions.filter(status=FrameworkVersion.Status.PUBLISHED).first() or versions.first()
        if reference is None:
            reference = framework.versions.first()
    if reference is None:
        return lambda section, name: None
    by_section_name: dict[tuple[str, str], uuid.UUID] = {}
    by_name: dict[str, list[uuid.UUID]] = {}
    for section_name, name, key in reference.proficiencies.values_list("section__name", "name", "key"):
        by_section_name[(section_name.casefold(), name.casefold())] = key
        by_name.setdefault(name.casefold(), []).append(key)

    def lookup(section: str, name: str):
        key = by_section_name.get((section.casefold(), name.casefold()))
        if key is None and len(by_name.get(name.casefold(), [])) == 1:
            key = by_name[name.casefold()][0]
        return key

    return lookup


def _version_fill(*, version: FrameworkVersion, rows: list[ProficiencyRow], key_for) -> None:
    """Bulk-write the sections and proficiencies of an empty draft version."""
    grouped = _ordered(rows)
    sections = Section.objects.bulk_create(
        [Section(version=version, position=index, name=name) for index, (name, _) in enumerate(grouped, start=1)]
    )
    used: set = set()
    proficiencies = []
    position = 0
    for section, (_, section_rows) in zip(sections, grouped, strict=True):
        for row in section_rows:
            position += 1
            key = key_for(row.section, row.name)
            if key is None or key in used:
                key = uuid.uuid4()
            used.add(key)
            proficiencies.append(
                Proficiency(
                    key=key,
                    version=version,
                    section=section,
                    position=position,
                    name=row.name,
                    description_html=row.description_html,
                    is_optional=row.is_optional,
                    is_supernumerary=row.is_supernumerary,
                )
            )
    Proficiency.objects.bulk_create(proficiencies, batch_size=500)


def _require_draft(version: FrameworkVersion) -> None:
    if version.status != FrameworkVersion.Status.DRAFT:
        raise FrameworkVersionLocked(
            f"Version {version.number} of {version.framework.name} is {version.get_status_display().lower()} "
            "and cannot be changed. Start a new draft to make changes."
        )


def _name_problem(name: str, *, exclude: Framework | None = None) -> str | None:
    name = name.strip()
    if not name:
        return "Enter the framework's name"
    if len(name) > NAME_MAX_LENGTH:
        return f"The framework's name must be {NAME_MAX_LENGTH} characters or fewer"
    clash = Framework.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        return f"There is already a framework called “{name}”: upload a new version of it instead"
    return None


def _next_number(framework: Framework) -> int:
    return (framework.versions.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def framework_create(
    *, name: str, created_by=None, description: str = "", prerequisites_html: str = "", request=None
) -> FrameworkVersion:
    """A new framework with an empty draft version 1."""
    problem = _name_problem(name)
    if problem:
        raise FrameworkError(problem)
    framework = Framework.objects.create(name=name.strip())
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=1,
        description=description,
        prerequisites_html=sanitise_html(prerequisites_html),
        created_by=created_by,
    )
    audit_record(
        actor=created_by,
        action="framework.created",
        target=framework,
        summary=f"Framework “{framework.name}” created",
        request=request,
    )
    return version


@transaction.atomic
def framework_version_write(
    *,
    rows: list[ProficiencyRow],
    created_by=None,
    framework: Framework | None = None,
    name: str | None = None,
    prerequisites_html: str | None = None,
    request=None,
    source: str = "spreadsheet",
) -> FrameworkVersion:
    """Write `rows` as the draft version of `framework` (or of a new framework called
    `name`). An existing draft's content is replaced; otherwise a new draft is numbered after
    the latest version. Published and retired versions are never touched."""
    if not rows:
        raise FrameworkError("A framework version needs at least one proficiency")
    if framework is None:
        version = framework_create(name=name or "", created_by=created_by, request=request)
        framework = version.framework
    else:
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        version = framework.versions.filter(status=FrameworkVersion.Status.DRAFT).first()
        if version is None:
            latest = framework.versions.first()
            version = FrameworkVersion.objects.create(
                framework=framework,
                number=_next_number(framework),
                description=latest.description if latest else "",
                prerequisites_html=latest.prerequisites_html if latest else "",
                created_by=created_by,
            )
        else:
            if version.enrolments.exists():  # enrolment services enrol on published versions only
                raise FrameworkError("Learners are enrolled on this draft, so it cannot be replaced")
            Proficiency.objects.filter(version=version).delete()
            Section.objects.filter(version=version).delete()
    if prerequisites_html is not None:
        version.prerequisites_html = sanitise_html(prerequisites_html)
        version.save(update_fields=["prerequisites_html"])
    _version_fill(version=version, rows=rows, key_for=_key_lookup(framework))
    audit_record(
        actor=created_by,
        action="framework.version_imported",
        target=version,
        summary=(
            f"Draft version {version.number} of “{framework.name}” written from a {source}: "
            f"{len(rows)} proficiencies in {len(_ordered(rows))} sections"
        ),
        request=request,
    )
    return version


def framework_version_import(
    *, file: IO[bytes], created_by, framework: Framework | None = None, name: str | None = None, request=None
) -> FrameworkVersion:
    """Read a spreadsheet (raising FrameworkError listing every problem) and write it as the
    draft version of `framework`, or of a new framework called `name`."""
    if framework is None:
        problem = _name_problem(name or "")
        if problem:
            raise FrameworkError(problem, field="name")
    rows = framework_spreadsheet_read(file)
    return framework_version_write(
        rows=rows, created_by=created_by, framework=framework, name=name, request=request, source="spreadsheet"
    )


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


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion, published_by=None, request=None) -> FrameworkVersion:
    """Publish a draft. The previously published version becomes retired; learners enrolled
    on it keep it (their enrolment points at that version)."""
    Framework.objects.select_for_update().get(pk=version.framework_id)
    version = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise FrameworkError(
            f"Version {version.number} of {version.framework.name} is already "
            f"{version.get_status_display().lower()}: only a draft can be published"
        )
    if not version.proficiencies.exists():
        raise FrameworkError("This draft has no proficiencies: upload a spreadsheet before publishing it")
    retired = version.framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).update(
        status=FrameworkVersion.Status.RETIRED
    )
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=published_by,
        action="framework.version_published",
        target=version,
        summary=f"Version {version.number} of “{version.framework.name}” published"
        + (" (the previous version is retired)" if retired else ""),
        request=request,
    )
    return version


@transaction.atomic
def framework_version_draft_start(*, framework: Framework, created_by=None, request=None) -> FrameworkVersion:
    """A new draft copied from the published version: same sections, proficiencies,
    descriptions, prerequisites and proficiency keys."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    draft = framework.versions.filter(status=FrameworkVersion.Status.DRAFT).first()
    if draft is not None:
        raise FrameworkError(f"{framework.name} already has a draft (version {draft.number}): change that one")
    published = framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if published is None:
        raise FrameworkError(f"{framework.name} has no published version to start a draft from")
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=_next_number(framework),
        description=published.description,
        prerequisites_html=published.prerequisites_html,
        created_by=created_by,
    )
    old_sections = list(published.sections.all())
    new_sections = Section.objects.bulk_create(
        [Section(version=version, position=s.position, name=s.name) for s in old_sections]
    )
    section_map = {old.pk: new for old, new in zip(old_sections, new_sections, strict=True)}
    Proficiency.objects.bulk_create(
        [
            Proficiency(
                key=p.key,
                version=version,
                section=section_map[p.section_id],
                position=p.position,
                name=p.name,
                description_html=p.description_html,
                is_optional=p.is_optional,
                is_supernumerary=p.is_supernumerary,
            )
            for p in published.proficiencies.all()
        ],
        batch_size=500,
    )
    audit_record(
        actor=created_by,
        action="framework.draft_started",
        target=version,
        summary=f"Draft version {version.number} of “{framework.name}” started from version {published.number}",
        request=request,
    )
    return version


@transaction.atomic
def framework_version_draft_delete(*, version: FrameworkVersion, deleted_by=None, request=None) -> None:
    """Throw a draft away (never a published or retired version)."""
    version = FrameworkVersion.objects.select_related("framework").get(pk=version.pk)
    _require_draft(version)
    if version.enrolments.exists():
        raise FrameworkError("Learners are enrolled on this draft, so it cannot be deleted")
    framework = version.framework
    number = version.number
    Proficiency.objects.filter(version=version).delete()
    Section.objects.filter(version=version).delete()
    version.delete()
    audit_record(
        actor=deleted_by,
        action="framework.draft_deleted",
        target=framework,
        summary=f"Draft version {number} of “{framework.name}” deleted",
        request=request,
    )


# -- JSON files (the Step 1 export, our IV Therapy Passport) ---------------------------------


def framework_json_parse(data) -> tuple[list[ProficiencyRow], str]:
    """(rows, prerequisites_html) from a JSON framework file: either a list of items, or an
    object {"prerequisites_html": "...", "items": [...]}. Each item has "Competency group"
    (the section), "Competency name", "Competency description" (HTML, sanitised) and
    "Purple (supernumerary competency)" ("Yes" means supernumerary) and may have
    "Optional" ("Yes" means optional)."""
    prerequisites = ""
    if isinstance(data, dict):
        prerequisites = str(data.get("prerequisites_html") or "")
        data = data.get("items")
    if not isinstance(data, list):
        raise FrameworkError('The JSON file must hold a list of items (or an object with an "items" list)')
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FrameworkError(f"Item {number} is not an object")
        section = str(item.get("Competency group") or "").strip()
        name = str(item.get("Competency name") or "").strip()
        if not section or not name:
            raise FrameworkError(f"Item {number} has no “Competency group” or “Competency name”")
        if len(section) > NAME_MAX_LENGTH or len(name) > PROFICIENCY_MAX_LENGTH:
            raise FrameworkError(f"Item {number}: the group or name is too long")
        rows.append(
            ProficiencyRow(
                section=section,
                name=name,
                description_html=sanitise_html(str(item.get("Competency description") or "")),
                is_optional=str(item.get("Optional") or "").strip().lower() == "yes",
                is_supernumerary=str(item.get("Purple (supernumerary competency)") or "").strip().lower() == "yes",
                row=number,
            )
        )
    return rows, sanitise_html(prerequisites)


def _same_content(version: FrameworkVersion, rows: list[ProficiencyRow], prerequisites_html: str) -> bool:
    ordered = [row for _, section_rows in _ordered(rows) for row in section_rows]
    if version.prerequisites_html != prerequisites_html:
        return False
    return [r.content() for r in framework_version_rows(version)] == [r.content() for r in ordered]


@dataclass
class LoadOutcome:
    version: FrameworkVersion
    changed: bool  # False: the latest version already had this content; nothing was written
    message: str


@transaction.atomic
def framework_load(
    *,
    name: str,
    rows: list[ProficiencyRow],
    prerequisites_html: str = "",
    publish: bool = True,
    created_by=None,
) -> LoadOutcome:
    """Load a framework from rows (the `load_framework_json` command and the demo data).

    Re-running is safe: when the framework's latest version (draft or published) already has
    exactly this content, nothing is written (a draft is published if `publish`). Otherwise
    the content becomes the draft (a new version, or the existing draft replaced) and is
    published if `publish`, retiring the previous published version."""
    framework = Framework.objects.filter(name__iexact=name.strip()).first()
    if framework is not None:
        latest = framework.versions.first()
        if latest is not None and _same_content(latest, rows, prerequisites_html):
            if publish and latest.status == FrameworkVersion.Status.DRAFT:
                framework_version_publish(version=latest, published_by=created_by)
                latest.refresh_from_db()
                return LoadOutcome(latest, True, f"Version {latest.number} of “{framework.name}” is now published.")
            return LoadOutcome(
                latest,
                False,
                f"“{framework.name}” version {latest.number} ({latest.get_status_display().lower()}) "
                "already has this content: nothing changed.",
            )
    version = framework_version_write(
        rows=rows,
        created_by=created_by,
        framework=framework,
        name=name,
        prerequisites_html=prerequisites_html,
        source="JSON file",
    )
    if publish:
        version = framework_version_publish(version=version, published_by=created_by)
    state = "published" if publish else "saved as a draft"
    sections = version.sections.count()
    return LoadOutcome(
        version,
        True,
        f"Version {version.number} of “{version.framework.name}” {state}: "
        f"{len(rows)} proficiencies in {sections} sections.",
    )
