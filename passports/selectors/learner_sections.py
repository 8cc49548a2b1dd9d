"""Reads for the learner's section page and the grouped list of sections (issue 16 item 2).
Every query starts from the learner's enrolment (found through the centre and the learner), so
the number of queries does not depend on how many proficiencies a section holds."""

import re
from dataclasses import dataclass, field

from django.db.models import Count

from passports.models import Enrolment, Result, Section
from passports.selectors.learner import Progress, SectionProgress, next_to_assess_position, passport_results

# "1.2.3 Respiratory system - Tracheostomy care": the parent number is 1.2, its name the part
# before " - " (Step 1's 52 sections fall into 19 such groups). A section without a number
# ("Learning contract") is a group of its own.
_NUMBERED = re.compile(r"^\s*(?P<parent>\d+(?:\.\d+)*)\.(?P<last>\d+)\s+(?P<rest>.+?)\s*$")


@dataclass
class SectionGroup:
    number: str  # "1.2", or "" for an unnumbered section
    title: str  # "Respiratory system"
    rows: list[tuple[SectionProgress, str]] = field(default_factory=list)  # (row, name shown in the group)


def section_groups(sections: list[SectionProgress]) -> list[SectionGroup] | None:
    """Sections grouped by their parent number, in order; None when the framework's section
    names carry no shared parent numbers (nothing to group: the plain list is shown)."""
    groups: list[SectionGroup] = []
    for row in sections:
        match = _NUMBERED.match(row.section.name)
        if match is None:
            groups.append(SectionGroup(number="", title=row.section.name.strip(), rows=[(row, row.section.name)]))
            continue
        parent, rest = match["parent"], match["rest"]
        title, _, short = rest.partition(" - ")
        shown = f"{parent}.{match['last']} {short.strip() or title.strip()}"
        if groups and groups[-1].number == parent:
            groups[-1].rows.append((row, shown))
        else:
            groups.append(SectionGroup(number=parent, title=title.strip(), rows=[(row, shown)]))
    if not any(len(group.rows) > 1 for group in groups):
        return None
    return groups


def section_at_position(*, enrolment: Enrolment, position: int) -> Section | None:
    return Section.objects.filter(version_id=enrolment.version_id, position=position).first()


def section_neighbours(*, enrolment: Enrolment, section: Section) -> tuple[Section | None, Section | None]:
    """The sections before and after `section` in the enrolment's version (one query)."""
    rows = list(
        Section.objects.filter(
            version_id=enrolment.version_id, position__in=[section.position - 1, section.position + 1]
        )
    )
    previous = next((row for row in rows if row.position < section.position), None)
    following = next((row for row in rows if row.position > section.position), None)
    return previous, following


def section_progress(*, enrolment: Enrolment, section: Section) -> Progress:
    """One section's progress (one grouped query)."""
    progress = Progress()
    rows = (
        Result.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, proficiency__section=section)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        progress.add(row["status"], row["n"])
    return progress


def section_results(*, enrolment: Enrolment, section: Section, supernumerary: bool = False) -> list[Result]:
    """The section's results in framework order (one query), only the supernumerary ones when
    asked; each carries its proficiency, its reviewer and the centre that confirmed it."""
    results = passport_results(enrolment=enrolment, section=section)
    if supernumerary:
        results = results.filter(proficiency__is_supernumerary=True)
    return list(results)


def section_results_at(*, enrolment: Enrolment, section: Section, positions: list[int]) -> list[Result]:
    """The results of `section` at `positions` (a position outside the section is not found)."""
    return list(
        Result.objects.for_centre(enrolment.centre_id)
        .filter(enrolment=enrolment, proficiency__section=section, proficiency__position__in=positions)
        .select_related("proficiency")
        .order_by("proficiency__position")
    )


def next_needing_answer(*, enrolment: Enrolment, after: int) -> int | None:
    """Where "Save and continue" goes: the first proficiency after `after` still needing a
    self-assessment, else the first one before it; None when every one has an answer."""
    return next_to_assess_position(enrolment=enrolment, after=after) or next_to_assess_position(
        enrolment=enrolment, exclude=after
    )
