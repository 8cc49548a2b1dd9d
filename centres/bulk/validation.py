"""U2/U3: classify every row of a DelegatesBulkUpload workbook (new, update, unchanged, or
error with every reason). The per-column checks are in `centres.bulk.checks`.

Validation runs in a fixed number of queries per file (per 500 rows): the centre's
memberships the file names (by email address or DelegateID, with their users), the users
matching the file's email addresses, the prompts and the job groups are loaded up front; no
row triggers a query, and nothing grows with the size of the centre. See docs/adr/0008-bulk-import.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models.functions import Upper

from accounts.models import User
from centres.bulk.changes import errors_named, people_listed
from centres.bulk.checks import Lookups, row_check
from centres.bulk.reading import RowData
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt
from centres.ownership import accounts_change_refused
from reporting.imports import ERROR, NEW, UNCHANGED, UPDATE, ImportPreview, RowOutcome

COMPARED_FIELDS = [
    "alias_id",
    "job_group_id",
    *[f"answer{n}" for n in range(1, 7)],
    "is_active",
    "has_prn",
    "prn",
]
PROGRESS_EVERY = 500  # rows between progress reports

Progress = Callable[[int, int], None]  # (done, total)

__all__ = ["ERROR", "NEW", "UNCHANGED", "UPDATE", "Preview", "RowResult", "validate"]


@dataclass
class RowResult(RowOutcome):
    membership: Membership | None = None
    user: User | None = None  # unused: a new row never names an existing account (centres.ownership)
    cleaned: dict = field(default_factory=dict)


@dataclass
class Preview(ImportPreview):
    lookups: Lookups | None = None  # what the check loaded: the stored changes are described from it

    def summary(self) -> dict:
        """The upload's stored fields: totals, each error row with the person the file names,
        and who is added and what changes for whom (issue 16 item 6, `centres.bulk.changes`)."""
        errors = errors_named(self.error_list(), self.rows)
        people, more = people_listed(self.results, self.rows, self.lookups) if self.lookups else ([], 0)
        return {
            "rows": len(self.results),
            "new": self.count(NEW),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "errors": errors,
            "error_rows": len(errors),
            "people": people,
            "people_more": more,
        }


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


def _lookups_load(*, centre: Centre, rows: list[RowData]) -> Lookups:
    emails = [row.values["EmailAddress"].lower() for row in rows if row.values["EmailAddress"]]
    numbers = [row.values["DelegateID"].upper() for row in rows if row.values["DelegateID"]]
    memberships = _memberships_named(centre=centre, emails=set(emails), numbers=set(numbers))
    return Lookups(
        by_number={m.delegate_number.upper(): m for m in memberships},
        by_email={m.user.email.lower(): m for m in memberships},
        users={
            u.email.lower(): u for chunk in _chunks(sorted(set(emails))) for u in User.objects.filter(email__in=chunk)
        },
        prompts={p.position: p for p in RegistrationPrompt.objects.for_centre(centre)},
        job_groups=dict(JobGroup.objects.values_list("id", "name")),
        email_count=dict(Counter(emails)),
        number_count=dict(Counter(numbers)),
    )


@dataclass
class _Checked:
    row: RowData
    messages: list[str]
    membership: Membership | None
    cleaned: dict


ELSEWHERE = (
    "This person's account is also used elsewhere, so only they can change their name or email "
    "address: leave FirstName, LastName and EmailAddress as they are"
)
ROLE_NOT_GRANTABLE = "EmailAddress cannot be changed here: this person holds a role you cannot grant"


def _ownership_check(checked: list[_Checked], *, centre: Centre, uploaded_by) -> None:
    """An update row may not rename or re-email an account that exists outside this centre
    (nor re-email one holding a role `uploaded_by` could not grant)."""
    rename_refused, reemail_refused = accounts_change_refused(
        user_ids={item.membership.user_id for item in checked if item.membership is not None},
        centre=centre,
        changed_by=uploaded_by,
    )
    for item in checked:
        membership, cleaned = item.membership, item.cleaned
        if membership is None or item.messages:
            continue
        user = membership.user
        renamed = (user.first_name, user.last_name) != (cleaned["first_name"], cleaned["last_name"])
        reemailed = bool(cleaned["email"]) and cleaned["email"] != user.email.lower()
        if (renamed or reemailed) and membership.user_id in rename_refused:
            item.messages.append(ELSEWHERE)
        elif reemailed and membership.user_id in reemail_refused:
            item.messages.append(ROLE_NOT_GRANTABLE)


def _results(checked: list[_Checked], lookups: Lookups) -> list[RowResult]:
    # One delegate on two rows (by DelegateID on one, by email on another) would be written twice.
    targets = Counter(item.membership.pk for item in checked if item.membership is not None)
    results = []
    for item in checked:
        membership, messages = item.membership, item.messages
        number = item.row.values["DelegateID"].upper()
        repeated_id = bool(number) and lookups.number_count[number] > 1
        if membership is not None and targets[membership.pk] > 1 and not repeated_id:
            messages.append(f"This is delegate {membership.delegate_number}, who is also on another row")
        if messages:
            results.append(RowResult(row=item.row.row, status=ERROR, messages=messages, membership=membership))
        elif membership is None:
            results.append(RowResult(row=item.row.row, status=NEW, cleaned=item.cleaned))
        else:
            status = UNCHANGED if _same(membership, item.cleaned) else UPDATE
            results.append(RowResult(row=item.row.row, status=status, membership=membership, cleaned=item.cleaned))
    return results


def validate(*, centre: Centre, rows: list[RowData], progress: Progress | None = None, uploaded_by=None) -> Preview:
    """Classify every row. The account-ownership rule (centres.ownership): a new row may not
    name an email any account uses (at this centre: "already in use by another delegate";
    elsewhere: an existing account, without saying where), and an update row may not rename
    or re-email an account that exists outside this centre (nor re-email one holding a role
    `uploaded_by` could not grant). Only what the file names is looked up."""
    lookups = _lookups_load(centre=centre, rows=rows)
    checked = []
    for index, row in enumerate(rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
        membership, messages, cleaned = row_check(row.values, lookups)
        checked.append(_Checked(row=row, messages=messages, membership=membership, cleaned=cleaned))
    _ownership_check(checked, centre=centre, uploaded_by=uploaded_by)
    return Preview(rows=rows, results=_results(checked, lookups), lookups=lookups)


def _same(membership: Membership, cleaned: dict) -> bool:
    user = membership.user
    if (user.first_name, user.last_name) != (cleaned["first_name"], cleaned["last_name"]):
        return False
    if cleaned["email"] and cleaned["email"] != user.email.lower():
        return False
    return all(getattr(membership, name) == cleaned[name] for name in COMPARED_FIELDS)
