"""The import-job framework: every upload that turns a file into rows goes
read -> validate (every row's outcome, every problem in plain words) -> preview -> confirm
-> one atomic commit, with progress, in the worker above a size. ADR 0028.

A feature declares an `ImportKind` (registered from its AppConfig.ready() in
`reporting.import_kinds`) with three functions:

- `read(file) -> rows`: through the shared opener (`reporting.uploads`); a file that cannot
  be used at all raises (the kind's own error, or UploadRefused);
- `validate(rows=, progress=, **context) -> ImportPreview`: one `RowOutcome` per row
  (`status` new / update / unchanged / error, `messages`); no writes;
- `commit(preview=, progress=, **context) -> outcome`: the writes, called inside the
  framework's transaction. A kind whose preview may be kept for a while (the delegate upload
  keeps it for days) validates again inside it, so a kept preview cannot write stale rows.

`context` is what the kind needs besides the file (the centre, who uploaded, ...). The
framework gives the same steps to the request (small files) and to the worker (big ones):
`import_read`, `import_validate` (or both: `import_preview`), `import_commit`,
`import_in_worker`. Progress for a page's bar is kept in
the cache (`import_progress_reporter`, `import_progress`), not in a job row, because a
commit's writes are invisible to other connections until its transaction ends; outside the
commit the reporter also writes the job's heartbeat (`reporting.jobs`), so the sweep can
tell a live job from a dead one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.cache import cache
from django.db import transaction

from core.exceptions import ServiceError
from reporting.import_kinds import import_kind
from reporting.jobs import Heartbeat

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
PROGRESS_TTL = 60 * 60  # seconds a progress figure is kept in the cache

Progress = Callable[[int, int], None]  # (done, total)


class ImportRefused(ServiceError):
    """The preview has rows with errors (or the file changed): nothing was written."""


@dataclass
class RowOutcome:
    row: int  # the row's number in the file (the header is row 1)
    status: str  # NEW, UPDATE, UNCHANGED or ERROR
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list  # what `read` returned
    results: list  # one RowOutcome (or a kind's subclass) per row

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def errors(self) -> list:
        return [result for result in self.results if result.status == ERROR]

    @property
    def has_errors(self) -> bool:
        return any(result.status == ERROR for result in self.results)

    def error_list(self) -> list[dict]:
        """Every error as JSON-ready {"row": n, "messages": [...]}, for a stored preview."""
        return [{"row": result.row, "messages": result.messages} for result in self.errors]


def import_read(kind: str, *, file: IO[bytes]) -> list:
    return import_kind(kind).read(file)


def import_validate(kind: str, *, rows: list, progress: Progress | None = None, **context) -> ImportPreview:
    return import_kind(kind).validate(rows=rows, progress=progress, **context)


def import_preview(kind: str, *, file: IO[bytes], progress: Progress | None = None, **context) -> ImportPreview:
    """Read and validate: what the preview page shows. Writes nothing."""
    declared = import_kind(kind)
    rows = declared.read(file)
    return declared.validate(rows=rows, progress=progress, **context)


def import_commit(kind: str, *, preview: ImportPreview, progress: Progress | None = None, **context) -> Any:
    """All or nothing: the kind's writes in one transaction. Refuses a preview with errors."""
    if preview.has_errors:
        raise ImportRefused("The file has rows with errors: correct them and upload it again")
    with transaction.atomic():
        return import_kind(kind).commit(preview=preview, progress=progress, **context)


def import_in_worker(kind: str, *, rows: int) -> bool:
    """Whether a commit of `rows` rows goes to the worker (else it runs in the request)."""
    limit = import_kind(kind).inline_max_rows
    if callable(limit):
        limit = limit()
    return limit is not None and rows > limit


# -- progress ------------------------------------------------------------------------------


def _progress_key(kind: str, job_id: int | str) -> str:
    return f"import:{kind}:{job_id}:progress"


def import_progress(kind: str, job_id: int | str) -> int:
    """The percentage the job's page shows (0 before any progress)."""
    return int(cache.get(_progress_key(kind, job_id), 0))


def import_progress_clear(kind: str, job_id: int | str) -> None:
    cache.delete(_progress_key(kind, job_id))


def import_progress_reporter(
    kind: str, job_id: int | str, *, heartbeat: Callable[[], Any] | None = None, step: int = 1
) -> Heartbeat:
    """A `progress(done, total)` for the kind's steps: the percentage goes to the cache and,
    when given, `heartbeat()` marks the job alive (not inside a commit's transaction, where
    nobody else would see it)."""

    def write(percent: int) -> None:
        cache.set(_progress_key(kind, job_id), percent, PROGRESS_TTL)
        if heartbeat is not None:
            heartbeat()

    return Heartbeat(write, step=step)
