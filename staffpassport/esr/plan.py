"""Validating and committing an ESR feed (docs/esr-feed.md), chunk by chunk so that a feed
of any length costs constant memory: the file is streamed (`reading.EsrFeed`), each chunk
of rows is checked against the catalogue and the trust's job roles, then against the staff
and credentials the trust already has (one query each per chunk), and either counted (the
preview) or written (the commit, inside the framework's transaction, which checks every row
again and refuses the whole file at the first row with an error: nothing is half-applied).

Across chunks one small map is kept, one int per person (not per row): each assignment
number's first row, a hash of the person's details (every row of one person must agree) and
a bit for each credential seen for them (a credential given twice is an error). The row a
repeated credential was first given on is found by a second pass over the file, only when
there is such an error. Measured by benchmarks/esr_feed.py (ADR 0042).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from reporting.imports import ERROR, ImportPreview, ImportRefused, RowOutcome
from staffpassport.esr import checks
from staffpassport.esr.reading import EsrFeed, EsrRow
from staffpassport.models import (
    Credential,
    JobRole,
    StaffCredential,
    StaffGroup,
    StaffMember,
)
from staffpassport.selectors.catalogue import auto_issuance_map

CHUNK_ROWS = 2000
REPEATED = "{code} for assignment number {assignment} is also on {earlier}"
STAFF_FIELDS = ["first_name", "last_name", "email", "staff_group", "job_role", "employment_type", "start_date"]
CREDENTIAL_FIELDS = [
    "status", "reference", "awarded_on", "expires_on", "source_fingerprint", "issued_by", "issued_at",
    "rejected_by", "rejected_at", "rejection_reason",
]  # fmt: skip


@dataclass
class EsrCounts:
    rows: int = 0
    new_staff: int = 0
    changed_staff: int = 0
    unchanged_staff: int = 0
    new_credentials: int = 0
    changed_credentials: int = 0
    unchanged_credentials: int = 0
    issued_automatically: int = 0
    waiting: int = 0
    errors: int = 0

    @property
    def changes(self) -> int:
        return self.new_staff + self.changed_staff + self.new_credentials + self.changed_credentials


@dataclass
class EsrPreview(ImportPreview):
    """`results` holds the rows with errors only (a clean 50,000-row feed keeps nothing per
    row); `counts` has the totals the preview page shows."""

    counts: EsrCounts = field(default_factory=EsrCounts)

    def count(self, status: str) -> int:
        return self.counts.errors if status == ERROR else super().count(status)


@dataclass
class _Parsed:
    row: int
    assignment: str
    person: dict
    credential: Credential | None
    reference: str
    awarded_on: date | None
    expires_on: date | None

    @property
    def fingerprint(self) -> str:
        text = f"{self.reference}|{self.awarded_on or ''}|{self.expires_on or ''}"
        return hashlib.sha256(text.encode()).hexdigest()


class Catalogue:
    """What rows are checked against: platform staff groups and credentials, the trust's job
    roles and which credentials it issues by hand."""

    def __init__(self, centre):
        self.groups: dict[str, StaffGroup] = {}
        for group in StaffGroup.objects.all():
            self.groups[group.name.casefold()] = group
            self.groups[group.code.casefold()] = group
        self.job_roles = {
            (role.staff_group_id, role.name.casefold()): role for role in JobRole.objects.for_centre(centre)
        }
        self.credentials = {credential.code.casefold(): credential for credential in Credential.objects.all()}
        # A small number per credential: its bit in a person's mask of credentials seen.
        self.bits = {credential.pk: index for index, credential in enumerate(self.credentials.values())}
        self.manual = {pk for pk, automatic in auto_issuance_map(centre=centre).items() if not automatic}
        self.today = timezone.localdate()

    def is_automatic(self, credential: Credential) -> bool:
        return credential.pk not in self.manual


ROW_BITS, HASH_BITS = 20, 32  # rows up to MAX_ROWS (250,000 < 2**20); 32 bits of the details' hash


class _FileState:
    """Kept across chunks, one int per person: first row | details hash | credentials seen."""

    def __init__(self):
        self.people: dict[str, int] = {}
        self.repeated: list[tuple[RowOutcome, str, str]] = []  # (outcome, assignment, code)

    def first_row(self, assignment: str) -> int | None:
        packed = self.people.get(assignment)
        return None if packed is None else packed & ((1 << ROW_BITS) - 1)

    def person_check(self, row: EsrRow, assignment: str, credential, catalogue, messages: list[str]) -> bool:
        """Record the row's person and credential; False (and a message) when its details
        differ from the person's first row; True with no message when the credential was
        already given for this person (the caller words that error after the pass)."""
        details = hash(row.person()) & ((1 << HASH_BITS) - 1)
        packed = self.people.get(assignment)
        if packed is None:
            packed = row.row | details << ROW_BITS
        elif (packed >> ROW_BITS) & ((1 << HASH_BITS) - 1) != details:
            messages.append(
                f"The details of assignment number {assignment} differ from line {self.first_row(assignment)}: every "
                "row of one person must give the same names, email, staff group, job role, employment type and "
                "start date"
            )
            return False
        repeated = False
        if credential is not None:
            bit = 1 << (ROW_BITS + HASH_BITS + catalogue.bits[credential.pk])
            repeated = bool(packed & bit)
            packed |= bit
        self.people[assignment] = packed
        return repeated


def _credential_check(row: EsrRow, catalogue: Catalogue, messages: list[str]):
    credential = None
    awarded_on = checks.date_check(row.awarded_date, "awarded date", messages)
    expires_on = checks.date_check(row.expiry_date, "expiry date", messages)
    if row.credential_code:
        credential = catalogue.credentials.get(row.credential_code.casefold())
        if credential is None:
            messages.append(
                f"The credential code “{row.credential_code}” is not in the credentials catalogue "
                "(see Credential settings for the codes)"
            )
    elif row.reference or row.awarded_date or row.expiry_date:
        messages.append("Enter the credential code, or leave Reference, AwardedDate and ExpiryDate blank")
    if awarded_on and awarded_on > catalogue.today:
        messages.append(f"The awarded date {row.awarded_date} is in the future")
    if awarded_on and expires_on and expires_on < awarded_on:
        messages.append(f"The expiry date {row.expiry_date} is before the awarded date {row.awarded_date}")
    return credential, awarded_on, expires_on


def _row_check(row: EsrRow, catalogue: Catalogue, state: _FileState) -> tuple[_Parsed | None, list[str]]:
    messages: list[str] = []
    assignment = checks.assignment_number_check(row.assignment_number, messages).upper()
    first_name = checks.name_check(row.first_name, "first name", messages)
    last_name = checks.name_check(row.last_name, "last name", messages)
    email = checks.email_check(row.email, messages)
    group = catalogue.groups.get(row.staff_group.casefold())
    if group is None:
        messages.append(
            f"The staff group “{row.staff_group}” is not an ESR staff group: use its name as ESR spells it, "
            "for example Nursing and Midwifery Registered"
            if row.staff_group
            else "Enter the staff group"
        )
    job_role = None
    if row.job_role and group is not None:
        job_role = catalogue.job_roles.get((group.pk, row.job_role.casefold()))
        if job_role is None:
            messages.append(
                f"The job role “{row.job_role}” is not one of your job roles in {group.name}: add it under "
                "Manage job roles, or leave JobRole blank"
            )
    employment_type = checks.employment_type_check(row.employment_type, messages)
    start_date = checks.date_check(row.start_date, "start date", messages)
    credential, awarded_on, expires_on = _credential_check(row, catalogue, messages)
    if assignment and not messages and state.person_check(row, assignment, credential, catalogue, messages):
        messages.append(REPEATED.format(code=credential.code, assignment=assignment, earlier="an earlier row"))
    if messages:
        return None, messages
    if credential is not None and expires_on is None and awarded_on and credential.validity_days:
        expires_on = awarded_on + timedelta(days=credential.validity_days)
    person = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "staff_group": group,
        "job_role": job_role,
        "employment_type": employment_type,
        "start_date": start_date,
    }
    return _Parsed(row.row, assignment, person, credential, row.reference[:100], awarded_on, expires_on), []


def _chunks(rows: Iterable[EsrRow], size: int) -> Iterator[list[EsrRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class _Writes:
    staff_new: dict = field(default_factory=dict)  # assignment -> unsaved StaffMember
    staff_changed: list = field(default_factory=list)
    credentials_new: list = field(default_factory=list)
    credentials_changed: list = field(default_factory=list)


def _person_changed(member: StaffMember, person: dict) -> bool:
    return any(
        getattr(member, f"{name}_id" if name in {"staff_group", "job_role"} else name)
        != (getattr(person[name], "pk", None) if name in {"staff_group", "job_role"} else person[name])
        for name in STAFF_FIELDS
    )


class EsrRun:
    """One pass over a feed: `preview()` counts, `commit()` counts and writes."""

    def __init__(self, *, centre, feed: EsrFeed, progress: Callable | None = None, actor=None, reason: str = ""):
        self.centre = centre
        self.feed = feed
        self.progress = progress
        self.actor = actor
        self.reason = reason
        self.catalogue = Catalogue(centre)
        self.state = _FileState()
        self.counts = EsrCounts()
        self.errors: list[RowOutcome] = []
        self.write = False

    def _report(self) -> None:
        if self.progress is not None:
            done, total = self.feed.position()
            self.progress(done, total)

    def _existing(self, parsed: list[_Parsed]):
        numbers = {item.assignment for item in parsed}
        staff = {
            member.esr_assignment_number: member
            for member in StaffMember.objects.for_centre(self.centre).filter(esr_assignment_number__in=numbers)
        }
        credentials = {
            (credential.staff_member_id, credential.credential_id): credential
            for credential in StaffCredential.objects.for_centre(self.centre).filter(
                staff_member_id__in=[member.pk for member in staff.values()]
            )
        }
        return staff, credentials

    def _chunk(self, chunk: list[EsrRow], *, write: bool) -> None:
        parsed = []
        for row in chunk:
            self.counts.rows += 1
            item, messages = _row_check(row, self.catalogue, self.state)
            if messages:
                self.counts.errors += 1
                outcome = RowOutcome(row=row.row, status=ERROR, messages=messages)
                self.errors.append(outcome)
                if messages[-1].endswith(" is also on an earlier row"):
                    self.state.repeated.append((outcome, row.assignment_number.upper(), row.credential_code.casefold()))
            else:
                parsed.append(item)
        if self.errors and write:
            raise ImportRefused(f"Line {self.errors[0].row}: {'; '.join(self.errors[0].messages)}")
        staff, credentials = self._existing(parsed)
        writes = _Writes()
        now = timezone.now()
        for item in parsed:
            member = staff.get(item.assignment) or writes.staff_new.get(item.assignment)
            if self.state.first_row(item.assignment) == item.row:  # the person's first row
                member = self._person(item, member, writes)
            if item.credential is not None:
                # None: a person new in this file, counted in an earlier chunk of the preview.
                existing = credentials.get((member.pk, item.credential.pk)) if member is not None else None
                self._credential(item, member, existing, writes, now)
        if write:
            self._write(writes)
        self._report()

    def _person(self, item: _Parsed, member: StaffMember | None, writes: _Writes) -> StaffMember | None:
        """Counted; in a commit, also made or changed (the preview builds no objects)."""
        if member is None:
            self.counts.new_staff += 1
            if not self.write:
                return None
            member = StaffMember(centre=self.centre, esr_assignment_number=item.assignment, **item.person)
            writes.staff_new[item.assignment] = member
        elif _person_changed(member, item.person):
            self.counts.changed_staff += 1
            if not self.write:
                return member
            for name, value in item.person.items():
                setattr(member, name, value)
            member.updated_at = timezone.now()
            writes.staff_changed.append(member)
        else:
            self.counts.unchanged_staff += 1
        return member

    def _credential(self, item: _Parsed, member, existing: StaffCredential | None, writes: _Writes, now) -> None:
        if existing is not None and existing.source_fingerprint == item.fingerprint:
            self.counts.unchanged_credentials += 1
            return
        automatic = self.catalogue.is_automatic(item.credential)
        self.counts.issued_automatically += automatic
        self.counts.waiting += not automatic
        if not self.write:
            self.counts.new_credentials += existing is None
            self.counts.changed_credentials += existing is not None
            return
        if existing is None:
            self.counts.new_credentials += 1
            credential = StaffCredential(centre=self.centre, staff_member=member, credential=item.credential)
            writes.credentials_new.append(credential)
        else:
            self.counts.changed_credentials += 1
            credential = existing
            credential.updated_at = now
            writes.credentials_changed.append(credential)
        credential.source = StaffCredential.Source.ESR
        credential.reference, credential.awarded_on, credential.expires_on = (
            item.reference,
            item.awarded_on,
            item.expires_on,
        )
        credential.source_fingerprint = item.fingerprint
        credential.status = StaffCredential.Status.ISSUED if automatic else StaffCredential.Status.WAITING
        credential.issued_at = now if automatic else None
        credential.issued_by = None
        credential.rejected_by, credential.rejected_at, credential.rejection_reason = None, None, ""

    def _write(self, writes: _Writes) -> None:
        if writes.staff_new:
            StaffMember.objects.bulk_create(list(writes.staff_new.values()), batch_size=1000)
        if writes.staff_changed:
            StaffMember.objects.bulk_update(writes.staff_changed, [*STAFF_FIELDS, "updated_at"], batch_size=1000)
        for credential in writes.credentials_new:
            credential.staff_member_id = credential.staff_member.pk  # saved just above
        history = {"default_user": self.actor, "default_change_reason": self.reason}
        if writes.credentials_new:
            bulk_create_with_history(writes.credentials_new, StaffCredential, batch_size=1000, **history)
        if writes.credentials_changed:
            bulk_update_with_history(
                writes.credentials_changed, StaffCredential, [*CREDENTIAL_FIELDS, "updated_at"], batch_size=1000,
                **history,
            )  # fmt: skip

    def run(self, *, write: bool) -> EsrCounts:
        self.write = write
        for chunk in _chunks(self.feed, CHUNK_ROWS):
            self._chunk(chunk, write=write)
        self._name_earlier_rows()
        return self.counts

    def _name_earlier_rows(self) -> None:
        """A credential given twice: name the row it was first given on (a second pass over
        the file, only when there is such an error)."""
        if not self.state.repeated:
            return
        wanted = {(assignment, code) for _, assignment, code in self.state.repeated}
        first: dict[tuple[str, str], int] = {}
        for row in self.feed:
            key = (row.assignment_number.upper(), row.credential_code.casefold())
            if key in wanted:
                first.setdefault(key, row.row)
        for outcome, assignment, code in self.state.repeated:
            earlier = first.get((assignment, code))
            if earlier is not None and earlier != outcome.row:
                outcome.messages[-1] = outcome.messages[-1].replace("an earlier row", f"line {earlier}")


def esr_preview(*, centre, feed: EsrFeed, progress: Callable | None = None) -> EsrPreview:
    """Every row checked and classified; nothing written."""
    run = EsrRun(centre=centre, feed=feed, progress=progress)
    counts = run.run(write=False)
    return EsrPreview(rows=feed, results=run.errors, counts=counts)


def esr_write(*, centre, feed: EsrFeed, actor=None, reason: str = "", progress: Callable | None = None) -> EsrCounts:
    """Check and write every row (the caller holds the transaction). Raises ImportRefused at
    the first row with an error: the caller's transaction then writes nothing."""
    run = EsrRun(centre=centre, feed=feed, progress=progress, actor=actor, reason=reason)
    return run.run(write=True)
