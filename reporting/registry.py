"""Feature apps register the reports they offer; reporting never imports them.

A builder is `build(job, stream, progress) -> rows`: it writes the file to `stream` and
calls `progress(done, total)` now and then.
"""

from collections.abc import Callable
from typing import IO

Builder = Callable[..., int]
_BUILDERS: dict[str, Builder] = {}


def report_kind_register(kind: str, build: Builder) -> None:
    _BUILDERS[kind] = build


def report_builder(kind: str) -> Builder:
    return _BUILDERS[kind]


__all__ = ["IO", "Builder", "report_builder", "report_kind_register"]
