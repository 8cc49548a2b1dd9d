"""Feature apps register the jobs they offer; reporting never imports them.

A report builder is `build(job, stream, progress) -> rows`: it writes the file to `stream`
and calls `progress(done, total)` now and then. An action (heavy work with no file, such as
sending every welcome email) is `run(job, progress) -> outcome`, the sentence its page shows.
Both run as a ReportJob, with the same progress page, sweep and "Try again".

Every kind also says who may still see its page and download a finished file
(`may_download`): the file holds what its requester was allowed to see *when they asked*, so
at every download the current person's access is worked out again (ADR 0017).
`may_download(job=, user=, held=)` gets the job, the person downloading and the permissions
they hold now on the job's centre (e.g. "centres.view_prn"); the permissions the job recorded
as required (`job.access`) are checked by reporting before it is called. Kinds whose rule is
just those permissions pass `permissions_suffice`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

Builder = Callable[..., int]
Action = Callable[..., str]
DownloadCheck = Callable[..., bool]


@dataclass(frozen=True)
class JobKind:
    run: Callable
    makes_file: bool
    may_download: DownloadCheck
    # Downloads are audited as "<audit_namespace>.report_downloaded" (and
    # "..._download_refused"), so a feature's own audit page can show them.
    audit_namespace: str = "reporting"

    @property
    def build(self) -> Callable:
        return self.run

    @property
    def downloaded_action(self) -> str:
        return f"{self.audit_namespace}.report_downloaded"

    @property
    def refused_action(self) -> str:
        return f"{self.audit_namespace}.report_download_refused"


_KINDS: dict[str, JobKind] = {}


def permissions_suffice(*, job, user, held: frozenset[str]) -> bool:
    """For kinds whose only rule is the centre permissions recorded on the job."""
    return True


def report_kind_register(
    kind: str, build: Builder, *, may_download: DownloadCheck, audit_namespace: str = "reporting"
) -> None:
    _KINDS[kind] = JobKind(run=build, makes_file=True, may_download=may_download, audit_namespace=audit_namespace)


def action_kind_register(kind: str, run: Action, *, may_download: DownloadCheck) -> None:
    """`may_download` here decides who may still see the action's page (it has no file)."""
    _KINDS[kind] = JobKind(run=run, makes_file=False, may_download=may_download)


def job_kind(kind: str) -> JobKind:
    return _KINDS[kind]


# The download check's name for the same thing.
report_kind = job_kind


def report_builder(kind: str) -> Builder:
    return _KINDS[kind].run


__all__ = [
    "IO",
    "Action",
    "Builder",
    "JobKind",
    "action_kind_register",
    "job_kind",
    "permissions_suffice",
    "report_builder",
    "report_kind",
    "report_kind_register",
]
