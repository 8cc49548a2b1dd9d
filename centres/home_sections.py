"""The home page, task first (issue 16 item 1; ADR 0041): sections each app registers from its
AppConfig.ready(), so the home page names no feature app.

A section is a partial template and a `build(request)` that returns its context, or None when
it has nothing for this person at the current centre (their permissions there decide). The
first section is "To do": the same "what waits for you" entries as the weekly summary
(`notifications.summaries.summary_entries`), so the email and the page never disagree, plus the
sections registered `home_only` (work for roles not offered the weekly email; ADR 0044).
"""

from collections.abc import Callable
from dataclasses import dataclass

from notifications.summaries import summary_entries


@dataclass(frozen=True)
class HomeSection:
    code: str
    template: str  # rendered with `section` (what build returned) in its context
    build: Callable[..., dict | None]
    order: int


_SECTIONS: dict[str, HomeSection] = {}


def home_section_register(code: str, *, template: str, build: Callable[..., dict | None], order: int) -> None:
    _SECTIONS[code] = HomeSection(code=code, template=template, build=build, order=order)


def home_sections_for(request) -> list[tuple[str, dict]]:
    """(template, context) of every section with something for this person, in order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda section: (section.order, section.code)):
        built = section.build(request)
        if built is not None:
            shown.append((section.template, built))
    return shown


def is_register_only(request) -> bool:
    return request.centre_access.is_register_only


def todo_section(request) -> dict | None:
    """What waits for the person at this centre; shown to anyone holding a centre role there (an
    empty list says so), and to others only when something waits."""
    entries = summary_entries(user=request.user, centre=request.centre, for_home=True)
    if not entries and (not request.centre_access.roles or is_register_only(request)):
        return None
    return {"entries": entries, "centre": request.centre}
