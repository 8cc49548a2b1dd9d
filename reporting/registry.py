"""Feature apps register the reports they offer; reporting never imports them.

A builder is `build(job, stream, progress) -> rows`: it writes the file to `stream` and
calls `progress(done, total)` now and then.

Every kind also says who may still download a finished file (`may_download`): the file
holds what its requester was allowed to see *when they asked*, so at every download the
current person's access is worked out again (ADR 0017). `may_download(job=, user=, held=)`
gets the job, the person downloading and the permissions they hold now on the job's centre
(e.g. "centres.view_prn"); the permissions the job recorded as required (`job.access`) are
checked by reporting before it is called. Kinds whose rule is just those permissions pass
`permissions_suffice`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

Builder = Callable[..., int]
DownloadCheck = Callable[..., bool]


@dataclass(frozen=True)
class ReportKind:
    build: Builder
    may_download: DownloadCheck
    # Downloads are audited as "<audit_namespace>.report_downloaded" (and
    # "..._download_refused"), so a feature's own audit page can show them.
    audit_namespace: str = "reporting"

    @property
    def downloaded_action(self) -> str:
        return f"{self.audit_namespace}.report_downloaded"

    @property
    def refused_action(self) -> str:
        return f"{self.audit_namespace}.report_download_refused"


_KINDS: dict[str, ReportKind] = {}


def permissions_suffice(*, job, user, held: frozenset[str]) -> bool:
    """For kinds whose only rule is the centre permissions recorded on the job."""
    return True


def report_kind_register(
    kind: str, build: Builder, *, may_download: DownloadCheck, audit_namespace: str = "reporting"
) -> None:
    _KINDS[kind] = ReportKind(build=build, may_download=may_download, audit_namespace=audit_namespace)


def report_kind(kind: str) -> ReportKind:
    return _KINDS[kind]


def report_builder(kind: str) -> Builder:
    return _KINDS[kind].build


__all__ = [
    "IO",
    "Builder",
    "ReportKind",
    "permissions_suffice",
    "report_builder",
    "report_kind",
    "report_kind_register",
]
