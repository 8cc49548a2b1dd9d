"""U2/U3: read a DelegatesBulkUpload workbook, classify every row, and commit it in one
transaction. The same code path serves the command (and later the pages and the worker).

Validation runs in a fixed number of queries per file (per 500 rows): the centre's
memberships the file names (by email address or DelegateID, with their users), the users
matching the file's email addresses, the prompts and the job groups are loaded up front; no
row triggers a query, and nothing grows with the size of the centre. See docs/adr/0008-bulk-import.md."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import User
from centres.audit import audit_record
from centres.bulk_columns import COLUMNS, DELEGATES_SHEET
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt, RegistrationType
from centres.ownership import (
    EMAIL_IN_USE_HERE,
    EXISTING_ACCOUNT,
    accounts_change_refused,
    accounts_identity_bulk_update,
    people_create_for_centre,
)
from centres.services.details import NAME_MAX_LENGTH, prn_problem, prompt_answer_problem
from centres.services.memberships import delegate_numbers_allocate
from centres.signals import memberships_created
from reporting.uploads import SheetMissing, UploadRefused, XlsxLimits, xlsx_rows

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MB
MAX_DATA_ROWS = 20_000
EMAIL_MAX_LENGTH = 250
ALIAS_MAX_LENGTH = 250
ANSWER_COLUMNS = [f"Answer{n}" for n in range(1, 7)]
COMPARED_FIELDS = [
    "alias_id",
    "job_group_id",
    *[f"answer{n}" for n in range(1, 7)],
    "is_active",
    "has_prn",
    "prn",
]

BULK_BATCH = 250
PROGRESS_EVERY = 500  # rows between progress reports

Progress = Callable[[int, int], None]  # (done, total)

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"


class BulkFileError(Exception):
    """The file as a whole cannot be used; the message is for the administrator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RowData:
    row: int  # Excel row number (the header is row 1)
    values: dict[str, str]


@dataclass
class RowResult:
    row: int
    status: str
    messages: list[str] = field(default_factory=list)
    membership: Membership | None = None
    user: User | None = None  # unused: a new row never names an existing account (centres.ownership)
    cleaned: dict = field(default_factory=dict)


@dataclass
class Preview:
    rows: list[RowData]
    results: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def errors(self) -> list[RowResult]:
        return [result for result in self.results if result.status == ERROR]

    @property
    def has_errors(self) -> bool:
        return any(result.status == ERROR for result in self.results)

    def summary(self) -> dict:
        return {
            "rows": len(self.results),
            "new": self.count(NEW),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "errors": [{"row": result.row, "messages": result.messages} for result in self.errors],
        }


@dataclass
class Result:
    created: list[Membership]
    updated: int
    unchanged: int

    @property
    def new(self) -> int:
        return len(self.created)


# -- reading ---------------------------------------------------------------------------------


def upload_limits() -> XlsxLimits:
    """Read when called, so the limits follow the module's constants."""
    return XlsxLimits(
        max_file_bytes=MAX_FILE_BYTES,
        max_rows=MAX_DATA_ROWS,
        what=f"{MAX_DATA_ROWS:,} delegates",
        too_many_rows=(
            f"The file has too many rows: upload at most {MAX_DATA_ROWS:,} delegates at once "
            "(empty rows count too: delete any below your delegates)"
        ),
    )


def read_workbook(file) -> list[RowData]:
    """`file` is a path or a binary file object. Raises BulkFileError for a file that cannot
    be used at all. The limits (size, parts, rows, time) are reporting.uploads'."""
    if isinstance(file, (str, bytes)) or hasattr(file, "__fspath__"):
        with open(file, "rb") as handle:
            return read_workbook(handle)
    try:
        lines = xlsx_rows(file, limits=upload_limits(), sheet=DELEGATES_SHEET, sheet_required=True)
    except SheetMissing as error:
        raise BulkFileError(f"{error.message}: download the template and copy your delegates into it") from error
    except UploadRefused as error:
        raise BulkFileError(error.message) from error
    header = lines[0][1] if lines else []
    while header and header[-1] == "":
        header.pop()
    problems = [f"Column {name} is missing" for name in COLUMNS if name not in header]
    problems += [f"Unknown column {name}" for name in header if name and name not in COLUMNS]
    if not problems and len(set(header)) != len(header):
        problems.append("A column appears more than once in the first row")
    if "" in header and not problems:
        problems.append("The first row has a blank column heading")
    if problems:
        raise BulkFileError("; ".join(problems) + " (the first row must hold the column headings)")
    positions = {name: header.index(name) for name in COLUMNS}
    data = [
        RowData(row=number, values={name: (texts[pos] if pos < len(texts) else "") for name, pos in positions.items()})
        for number, texts in lines[1:]
    ]
    if not data:
        raise BulkFileError("The file has no delegates in it: add one delegate per row below the headings")
    return data


# -- validating ------------------------------------------------------------------------------

_BOOL = {"true": True, "false": False, "1": True, "0": False}
_WHITESPACE = re.compile(r"\s")


def _boolean(text: str) -> bool | None:
    return _BOOL.get(text.strip().lower())


def _job_group_id(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _email_problem(email: str) -> str | None:
    if len(email) > EMAIL_MAX_LENGTH:
        return f"EmailAddress must be {EMAIL_MAX_LENGTH} characters or fewer"
    if _WHITESPACE.search(email):
        return "EmailAddress must not contain spaces"
    try:
        validate_email(email)
    except ValidationError:
        return f"EmailAddress “{email}” is not a valid email address, like name@example.nhs.uk"
    return None


# Values per `__in` lookup: small enough that PostgreSQL probes the indexes (with 1,000 emails
# in one list it read every user of the database instead).
LOOKUP_CHUNK = 500


def _chunks(values: list) -> list[list]:
    return [values[start : start + LOOKUP_CHUNK] for start in range(0, len(values), LOOKUP_CHUNK)]


def _memberships_named(*, centre: Centre, emails: set[str], numbers: set[str]) -> list[Membership]:
    """The centre's delegate records the file names, by email address or DelegateID, with
    their users: index lookups for what the file holds, never every record of the centre (at
    a centre of 50,000 delegates loading them all cost 4.5 s and 135 MB per validation)."""
    found: dict[int, Membership] = {}
    records = Membership.objects.for_centre(centre).select_related("user")
    for chunk in _chunks(sorted(emails)):
        found.update((m.pk, m) for m in records.filter(user__email__in=chunk))
    for chunk in _chunks(sorted(numbers)):
        # Upper(delegate_number) is what the unique index holds: DelegateIDs match in any case.
        found.update((m.pk, m) for m in records.alias(number=Upper("delegate_number")).filter(number__in=chunk))
    return list(found.values())


def validate(*, centre: Centre, rows: list[RowData], progress: Progress | None = None, uploaded_by=None) -> Preview:
    """Classify every row. The account-ownership rule (centres.ownership): a new row may not
    name an email any account uses (at this centre: "already in use by another delegate";
    elsewhere: an existing account, without saying where), and an update row may not rename
    or re-email an account that exists outside this centre (nor re-email one holding a role
    `uploaded_by` could not grant). Only what the file names is looked up."""
    file_emails = {row.values["EmailAddress"].lower() for row in rows if row.values["EmailAddress"]}
    file_numbers = {row.values["DelegateID"].upper() for row in rows if row.values["DelegateID"]}
    memberships = _memberships_named(centre=centre, emails=file_emails, numbers=file_numbers)
    by_number = {m.delegate_number.upper(): m for m in memberships}
    by_email = {m.user.email.lower(): m for m in memberships}
    users = {u.email.lower(): u for chunk in _chunks(sorted(file_emails)) for u in User.objects.filter(email__in=chunk)}
    prompts = {p.position: p for p in RegistrationPrompt.objects.for_centre(centre)}
    job_groups = set(JobGroup.objects.values_list("id", flat=True))

    email_count: dict[str, int] = {}
    number_count: dict[str, int] = {}
    for row in rows:
        email = row.values["EmailAddress"].lower()
        if email:
            email_count[email] = email_count.get(email, 0) + 1
        number = row.values["DelegateID"].upper()
        if number:
            number_count[number] = number_count.get(number, 0) + 1

    checked = []
    for index, row in enumerate(rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
        v = row.values
        messages: list[str] = []
        email = v["EmailAddress"].lower()
        number = v["DelegateID"]
        membership = None
        if number:
            membership = by_number.get(number.upper())
            if membership is None:
                messages.append(f"DelegateID {number} was not found at this centre")
            elif number_count[number.upper()] > 1:
                messages.append(f"DelegateID {number} appears on more than one row")
        elif email and email in by_email:
            # DLS: a new row (no DelegateID) with a delegate's email is an error, not an update.
            messages.append(EMAIL_IN_USE_HERE)

        cleaned: dict = {}
        for column, label in (("FirstName", "first name"), ("LastName", "last name")):
            if not v[column]:
                messages.append(f"{column} is blank: enter the delegate's {label}")
            elif len(v[column]) > NAME_MAX_LENGTH:
                messages.append(f"{column} must be {NAME_MAX_LENGTH} characters or fewer")
        cleaned["first_name"], cleaned["last_name"] = v["FirstName"], v["LastName"]

        if len(v["AliasID"]) > ALIAS_MAX_LENGTH:
            messages.append(f"AliasID must be {ALIAS_MAX_LENGTH} characters or fewer")
        cleaned["alias_id"] = v["AliasID"]

        job_group_id = _job_group_id(v["JobGroupID"]) if v["JobGroupID"] else None
        if not v["JobGroupID"]:
            messages.append("JobGroupID is blank: enter a number from the JobGroups sheet")
        elif job_group_id not in job_groups:
            messages.append(f"JobGroupID {v['JobGroupID']} is not a job group: use a number from the JobGroups sheet")
        cleaned["job_group_id"] = job_group_id

        active = _boolean(v["Active"])
        if active is None:
            messages.append("Active must be TRUE or FALSE")
        cleaned["is_active"] = active

        is_new = membership is None and not number
        if not email:
            if is_new or active:
                messages.append("EmailAddress is blank: an email address is required for new and active delegates")
        else:
            problem = _email_problem(email)
            if problem:
                messages.append(problem)
            elif email_count[email] > 1:
                messages.append(f"EmailAddress {email} appears on more than one row in this file")
            else:
                owner = by_email.get(email)
                if owner is not None and membership is not None and owner.pk != membership.pk:
                    messages.append(
                        f"EmailAddress {email} belongs to another delegate at this centre ({owner.delegate_number})"
                    )
                elif owner is None and membership is not None and email in users:
                    messages.append(f"EmailAddress {email} is already used by another person's account")
                elif owner is None and membership is None and not number and email in users:
                    messages.append(EXISTING_ACCOUNT)
        cleaned["email"] = email

        for position, column in enumerate(ANSWER_COLUMNS, start=1):
            answer = v[column]
            prompt = prompts.get(position)
            # An existing delegate's answer left as it is (blank included, as a freshly
            # downloaded workbook has it after the centre adds a must-answer prompt) is not
            # re-judged: unchanged rows stay unchanged. New rows and changed answers are.
            kept = membership is not None and answer == (getattr(membership, f"answer{position}") or "")
            if prompt is not None and not kept:
                problem = prompt_answer_problem(prompt=prompt, answer=answer)
                if problem:
                    messages.append(f"{column}: {problem}")
            elif len(answer) > RegistrationPrompt.MAX_OPTION_LENGTH:
                messages.append(f"{column} must be {RegistrationPrompt.MAX_OPTION_LENGTH} characters or fewer")
            cleaned[f"answer{position}"] = answer

        has_prn = _boolean(v["HasPRN"]) if v["HasPRN"] else None
        if v["HasPRN"] and has_prn is None:
            messages.append("HasPRN must be TRUE, FALSE or blank")
        elif has_prn is None:
            if v["PRN"]:
                messages.append("PRN is filled in but HasPRN is blank: set HasPRN to TRUE")
        else:
            problem = prn_problem(has_prn=has_prn, prn=v["PRN"])
            if problem:
                messages.append(f"HasPRN/PRN: {problem}")
        cleaned["has_prn"], cleaned["prn"] = has_prn, v["PRN"]

        checked.append((row, messages, membership, cleaned, email))

    rename_refused, reemail_refused = accounts_change_refused(
        user_ids={membership.user_id for _r, _m, membership, _c, _e in checked if membership is not None},
        centre=centre,
        changed_by=uploaded_by,
    )
    for _row, messages, membership, cleaned, _email in checked:
        if membership is None or messages:
            continue
        user = membership.user
        renamed = (user.first_name, user.last_name) != (cleaned["first_name"], cleaned["last_name"])
        reemailed = bool(cleaned["email"]) and cleaned["email"] != user.email.lower()
        if (renamed or reemailed) and membership.user_id in rename_refused:
            messages.append(
                "This person's account is also used elsewhere, so only they can change their name or email "
                "address: leave FirstName, LastName and EmailAddress as they are"
            )
        elif reemailed and membership.user_id in reemail_refused:
            messages.append("EmailAddress cannot be changed here: this person holds a role you cannot grant")

    # One delegate on two rows (by DelegateID on one, by email on another) would be written twice.
    targets: dict[int, int] = {}
    for _row, _messages, membership, _cleaned, _email in checked:
        if membership is not None:
            targets[membership.pk] = targets.get(membership.pk, 0) + 1
    results = []
    for row, messages, membership, cleaned, _email in checked:
        number = row.values["DelegateID"].upper()
        repeated_id = bool(number) and number_count[number] > 1
        if membership is not None and targets[membership.pk] > 1 and not repeated_id:
            messages.append(f"This is delegate {membership.delegate_number}, who is also on another row")
        if messages:
            results.append(RowResult(row=row.row, status=ERROR, messages=messages, membership=membership))
        elif membership is None:
            results.append(RowResult(row=row.row, status=NEW, cleaned=cleaned))
        else:
            status = UNCHANGED if _same(membership, cleaned) else UPDATE
            results.append(RowResult(row=row.row, status=status, membership=membership, cleaned=cleaned))
    return Preview(rows=rows, results=results)


def _same(membership: Membership, cleaned: dict) -> bool:
    user = membership.user
    if (user.first_name, user.last_name) != (cleaned["first_name"], cleaned["last_name"]):
        return False
    if cleaned["email"] and cleaned["email"] != user.email.lower():
        return False
    return all(getattr(membership, name) == cleaned[name] for name in COMPARED_FIELDS)


# -- committing ------------------------------------------------------------------------------


class BulkCommitError(Exception):
    pass


VALUES_BATCH = 1000


def _bulk_update(objects: list, fields: list[str]) -> None:
    """`Model.objects.bulk_update(objects, fields)` without its per-row CASE WHEN: on
    PostgreSQL one `UPDATE ... FROM (VALUES ...)` per 1,000 rows. Building and compiling the
    CASE expressions cost Django ~3 ms of Python per row (35 s for 10,000 updates on a loaded
    machine, benchmarks/bulk_upload.py); this costs a fraction. Like bulk_update: no signals,
    no auto_now."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields, batch_size=BULK_BATCH)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    # The first row carries the column types; PostgreSQL resolves the others from it.
    typed = "(" + ", ".join(f"%s::{column.db_type(connection)}" for column in columns) + ")"
    plain = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), VALUES_BATCH):
            batch = objects[start : start + VALUES_BATCH]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in batch for column in columns
            ]
            values = ", ".join([typed, *[plain] * (len(batch) - 1)])
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v({names}) "  # noqa: S608 - our names
                f"WHERE {table}.{key} = v.{key}",
                params,
            )


@transaction.atomic
def commit(
    *,
    centre: Centre,
    preview: Preview,
    uploaded_by,
    file_name: str,
    request=None,
    welcome_emails: bool = False,
    welcome_send_after: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> Result:
    """All or nothing. The rows are validated again inside the transaction, so a preview kept
    for a while cannot write stale decisions."""
    if preview.has_errors:
        raise BulkCommitError("The file has rows with errors: correct them and upload it again")
    # Two confirmations of uploads at one centre (a double click, two managers) queue here.
    Centre.objects.select_for_update().filter(pk=centre.pk).first()
    # Progress: the second validation is the first half, the writes the second.
    total = 2 * len(preview.rows)
    fresh = validate(
        centre=centre,
        rows=preview.rows,
        progress=(lambda done, _n: progress(done, total)) if progress else None,
        uploaded_by=uploaded_by,
    )
    if fresh.has_errors:
        raise BulkCommitError("The delegates changed since the preview: upload the file again")

    new_rows = [result for result in fresh.results if result.status == NEW]
    # Only new accounts: validate() refused every new row whose email an account uses.
    users = people_create_for_centre(
        people=[(r.cleaned["email"], r.cleaned["first_name"], r.cleaned["last_name"]) for r in new_rows]
    )
    numbers = delegate_numbers_allocate(names=[(r.cleaned["first_name"], r.cleaned["last_name"]) for r in new_rows])
    now = timezone.now()
    created: list[Membership] = []
    for result, user, number in zip(new_rows, users, numbers, strict=True):
        data = result.cleaned
        created.append(
            Membership(
                user=user,
                centre=centre,
                delegate_number=number,
                registration_type=RegistrationType.BULK,
                is_approved=True,
                approved_at=now,
                **{name: data[name] for name in COMPARED_FIELDS},
            )
        )
    Membership.objects.bulk_create(created, batch_size=1000)
    if progress is not None:
        progress(len(preview.rows) + len(preview.rows) // 4, total)
    if created:
        memberships_created.send(sender=Membership, centre=centre, memberships=created)

    changed = [result for result in fresh.results if result.status == UPDATE]
    if changed:
        # Only the columns that differ: bulk_update's CASE per column grows with every field
        # and row it carries. Names and emails go through the ownership rule.
        memberships, membership_fields = [], {"updated_at"}
        for result in changed:
            membership, data = result.membership, result.cleaned
            for name in COMPARED_FIELDS:
                if getattr(membership, name) != data[name]:
                    setattr(membership, name, data[name])
                    membership_fields.add(name)
            membership.updated_at = now
            memberships.append(membership)
        _bulk_update(memberships, sorted(membership_fields))
        accounts_identity_bulk_update(
            centre=centre,
            changes=[(result.membership.user, result.cleaned) for result in changed],
            changed_by=uploaded_by,
            request=request,
            bulk_update=_bulk_update,
        )

    outcome = Result(created=created, updated=len(changed), unchanged=fresh.count(UNCHANGED))
    audit_record(
        actor=uploaded_by,
        centre=centre,
        action="delegates.bulk_uploaded",
        summary=(
            f"Bulk upload of {file_name}: {len(fresh.results)} rows, {outcome.new} new, "
            f"{outcome.updated} updated, {outcome.unchanged} unchanged"
        ),
        request=request,
    )
    if welcome_emails and created:
        from centres.services.welcome import welcome_links_send_many

        if progress is not None:
            progress(len(preview.rows) + len(preview.rows) // 2, total)
        # Set-based: the links, outbox rows and audit events in a few INSERTs, not a service
        # call (7 queries) per new delegate inside this transaction (ADR 0022).
        welcome_links_send_many(
            memberships=created, sent_by=uploaded_by, send_after=welcome_send_after, request=request
        )
    return outcome
