"""The import kinds registry (ADR 0028): a feature app registers each file import it offers
from its AppConfig.ready(); `reporting.imports` runs them and never imports the feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportKind:
    name: str
    read: Callable  # (file) -> rows
    validate: Callable  # (*, rows, progress, **context) -> ImportPreview
    commit: Callable  # (*, preview, progress, **context) -> outcome, inside the transaction
    # A commit of more rows than this runs in the worker; None: always in the request. A
    # callable is asked each time (the limit may follow a module constant).
    inline_max_rows: int | Callable[[], int] | None = None


_KINDS: dict[str, ImportKind] = {}


def import_kind_register(
    name: str,
    *,
    read: Callable,
    validate: Callable,
    commit: Callable,
    inline_max_rows: int | Callable[[], int] | None = None,
) -> ImportKind:
    kind = ImportKind(name=name, read=read, validate=validate, commit=commit, inline_max_rows=inline_max_rows)
    _KINDS[name] = kind
    return kind


def import_kind(name: str) -> ImportKind:
    """The registered kind; KeyError for a name nobody registered."""
    return _KINDS[name]


def import_kinds() -> list[str]:
    return sorted(_KINDS)
