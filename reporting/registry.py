"""Feature apps register the jobs they offer; reporting never imports them.

A report builder is `build(job, stream, progress) -> rows`: it writes the file to `stream`
and calls `progress(done, total)` now and then. An action (heavy work with no file, such as
sending every welcome email) is `run(job, progress) -> outcome`, the sentence its page shows.
Both run as a ReportJob, with the same progress page, sweep and "Try again".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

Builder = Callable[..., int]
Action = Callable[..., str]


@dataclass(frozen=True)
class JobKind:
    run: Callable
    makes_file: bool


_KINDS: dict[str, JobKind] = {}


def report_kind_register(kind: str, build: Builder) -> None:
    _KINDS[kind] = JobKind(run=build, makes_file=True)


def action_kind_register(kind: str, run: Action) -> None:
    _KINDS[kind] = JobKind(run=run, makes_file=False)


def job_kind(kind: str) -> JobKind:
    return _KINDS[kind]


def report_builder(kind: str) -> Builder:
    return _KINDS[kind].run


__all__ = [
    "IO",
    "Action",
    "Builder",
    "JobKind",
    "action_kind_register",
    "job_kind",
    "report_builder",
    "report_kind_register",
]
