"""Reading an ESR feed (docs/esr-feed.md): a CSV file with a heading row, one credential per
row, through the platform's CSV opener (`reporting.csv_uploads`, its limits and messages).

`esr_feed_read(file)` checks the file and its heading at once (raising EsrFeedError for a
file that cannot be used at all) and returns an `EsrFeed`: iterating it streams the rows
from the file again, parsed into `EsrRow`s, so a feed of any length is read in constant
memory and the commit can read it a second time inside its transaction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from reporting.csv_uploads import csv_rows_stream
from reporting.excel import file_size
from reporting.uploads import MB, UploadLimits, UploadRefused

MAX_ROWS = 250_000  # rows below the heading: a large trust's staff, several credentials each


def esr_limits() -> UploadLimits:
    return UploadLimits(
        max_file_bytes=60 * MB,
        max_rows=MAX_ROWS,
        what=f"{MAX_ROWS:,} rows",
        too_many_rows=f"The file has more than {MAX_ROWS:,} rows: split it into smaller files",
        max_columns=30,
        max_seconds=600.0,
        wrong_type="The file must be a CSV file (.csv)",
        too_large="The file must be smaller than {mb} MB",
        empty="The selected file is empty",
    )


class EsrFeedError(UploadRefused):
    """The file cannot be used at all (not a CSV file, too large, a column missing)."""


# The heading names (compared without case, spaces, hyphens or underscores) and the
# attribute each fills. The first eight describe the person, the last four one credential.
COLUMNS = [
    ("AssignmentNumber", "assignment_number", True),
    ("FirstName", "first_name", True),
    ("LastName", "last_name", True),
    ("Email", "email", True),
    ("StaffGroup", "staff_group", True),
    ("JobRole", "job_role", False),
    ("EmploymentType", "employment_type", True),
    ("StartDate", "start_date", False),
    ("CredentialCode", "credential_code", True),
    ("Reference", "reference", False),
    ("AwardedDate", "awarded_date", False),
    ("ExpiryDate", "expiry_date", False),
]
HEADING = [name for name, _, _ in COLUMNS]
PERSON_FIELDS = ("assignment_number", "first_name", "last_name", "email", "staff_group", "job_role",
                 "employment_type", "start_date")  # fmt: skip


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]", "", text).casefold()


@dataclass(frozen=True)
class EsrRow:
    """One row as text, each value stripped. `row` is its number in the file, the heading
    being 1: the line a text editor shows and the row Excel shows (pages and the command call
    it "line")."""

    row: int
    assignment_number: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    staff_group: str = ""
    job_role: str = ""
    employment_type: str = ""
    start_date: str = ""
    credential_code: str = ""
    reference: str = ""
    awarded_date: str = ""
    expiry_date: str = ""

    def person(self) -> tuple[str, ...]:
        """The person's details as this row gives them (every row of a person must agree)."""
        return tuple(getattr(self, name).casefold() for name in PERSON_FIELDS)


def _positions(heading: list[str]) -> dict[str, int]:
    wanted = {_key(name): attribute for name, attribute, _ in COLUMNS}
    positions: dict[str, int] = {}
    for index, text in enumerate(heading):
        attribute = wanted.get(_key(text))
        if attribute is not None and attribute not in positions:
            positions[attribute] = index
    missing = [name for name, attribute, required in COLUMNS if required and attribute not in positions]
    if missing:
        raise EsrFeedError(
            f"The file has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            f"The first row must name the columns: {', '.join(HEADING)} (see the example file)"
        )
    return positions


class EsrFeed:
    """The rows of an ESR feed file, read again from the file each time it is iterated."""

    def __init__(self, file: IO[bytes], *, limits: UploadLimits | None = None):
        self.file = file
        self.limits = limits or esr_limits()
        self.size = file_size(file) or 0
        self.positions = self._heading()

    def position(self) -> tuple[int, int]:
        """(bytes read so far, the file's size): the progress of a pass over the rows."""
        try:
            return min(self.file.tell(), self.size), self.size
        except (OSError, ValueError):
            return 0, self.size

    def _stream(self) -> Iterator[tuple[int, list[str]]]:
        self.file.seek(0)
        try:
            yield from csv_rows_stream(self.file, limits=self.limits)
        except UploadRefused as error:
            raise EsrFeedError(error.message) from error

    def _heading(self) -> dict[str, int]:
        for number, texts in self._stream():
            if number == 1 and any(texts):
                return _positions(texts)
            break
        raise EsrFeedError("The file is empty: the first row must name the columns (see the example file)")

    def __iter__(self) -> Iterator[EsrRow]:
        positions = self.positions
        for number, texts in self._stream():
            if number == 1:
                continue
            values = {
                attribute: texts[index].strip() if index < len(texts) else "" for attribute, index in positions.items()
            }
            yield EsrRow(row=number, **values)


def esr_feed_read(file: IO[bytes]) -> EsrFeed:
    """The import kind's `read`: raises EsrFeedError for a file that cannot be used at all."""
    return EsrFeed(file)
