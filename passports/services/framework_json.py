"""Frameworks from JSON files (the Step 1 export, our IV Therapy Passport): the
`load_framework_json` command and the demo data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from core.html import sanitise_html
from passports.models import Framework, FrameworkVersion
from passports.services.framework_rows import (
    NAME_MAX_LENGTH,
    PROFICIENCY_MAX_LENGTH,
    FrameworkError,
    ProficiencyRow,
    framework_version_rows,
)
from passports.services.frameworks import framework_version_publish, framework_version_write, ordered_rows


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
    ordered = [row for _, section_rows in ordered_rows(rows) for row in section_rows]
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
