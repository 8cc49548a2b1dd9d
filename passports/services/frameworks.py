"""P1 frameworks: create, import from and export to a spreadsheet, publish, and start a new
draft from the published version.

The versioning guarantee: only a DRAFT version's sections and proficiencies can change.
Publishing makes a version read-only for good (the previous published version is retired;
learners enrolled on it keep it). To change a published framework, start a new draft
(`framework_version_draft_start`), which copies it keeping every `Proficiency.key`, change
the draft (upload a spreadsheet) and publish it. Besides these services, `passports/apps.py`
connects `pre_save` guards so that even a direct `.save()` of a published version's section
or proficiency raises `FrameworkVersionLocked`.

The spreadsheet upload is an import kind of `reporting.imports` (`FRAMEWORK_IMPORT_KIND`):
read and validated by `framework_import` (every problem with its Excel row number, nothing
written from a file with any error), committed here in one transaction. Sections appear in
the order of their first row; proficiencies keep the order of their rows within their
section. A proficiency keeps its `key` from the framework's published (else latest) version
when its section and name match (or its name alone, when that is unique), so results can be
matched between versions. JSON files: `framework_json`.
"""

from __future__ import annotations

import uuid
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from centres.audit import audit_record
from core.html import sanitise_html
from passports.models import Framework, FrameworkVersion, Proficiency, Section
from passports.services.framework_import import (
    framework_preview_refusal,
    framework_rows_read,
    framework_rows_validate,
    preview_proficiencies,
)
from passports.services.framework_rows import (
    NAME_MAX_LENGTH,
    FrameworkError,
    FrameworkVersionLocked,
    ProficiencyRow,
)
from reporting.import_kinds import import_kind_register
from reporting.imports import import_commit, import_preview

FRAMEWORK_IMPORT_KIND = "passports.framework"



# -- writing a version ------------------------------------------------------------------------


def ordered_rows(rows: list[ProficiencyRow]) -> list[tuple[str, list[ProficiencyRow]]]:
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
    grouped = ordered_rows(rows)
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
            f"{len(rows)} proficiencies in {len(ordered_rows(rows))} sections"
        ),
        request=request,
    )
    return version


def _import_commit(*, preview, progress=None, created_by=None, framework=None, name=None, request=None):
    """The import kind's commit (inside reporting.imports' transaction)."""
    return framework_version_write(
        rows=preview_proficiencies(preview),
        created_by=created_by,
        framework=framework,
        name=name,
        request=request,
        source="spreadsheet",
    )


def framework_import_register() -> None:
    """Called from PassportsConfig.ready. Always in the request: a framework has at most
    MAX_ROWS rows, read within READ_SECONDS."""
    import_kind_register(
        FRAMEWORK_IMPORT_KIND, read=framework_rows_read, validate=framework_rows_validate, commit=_import_commit
    )


def framework_version_import(
    *, file: IO[bytes], created_by, framework: Framework | None = None, name: str | None = None, request=None
) -> FrameworkVersion:
    """Read a spreadsheet (raising FrameworkError listing every problem) and write it as the
    draft version of `framework`, or of a new framework called `name`."""
    if framework is None:
        problem = _name_problem(name or "")
        if problem:
            raise FrameworkError(problem, field="name")
    preview = import_preview(FRAMEWORK_IMPORT_KIND, file=file)
    refusal = framework_preview_refusal(preview)
    if refusal is not None:
        raise refusal
    return import_commit(
        FRAMEWORK_IMPORT_KIND, preview=preview, created_by=created_by, framework=framework, name=name, request=request
    )


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
