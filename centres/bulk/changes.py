"""Issue 16 item 6: who a DelegatesBulkUpload file adds and what it changes for each delegate
it updates, in words ("Job group: Healthcare support worker → Doctor"), computed by the
worker's check from what validation already loaded (no query) and stored with the upload,
bounded at `PEOPLE_STORED` people (the rest are counted). The preview and the results page
read the stored list, a page at a time; nothing is computed in a request.

What is shown comes from the file itself or from this centre's own delegate record: an error
row is named by the name and email typed in the file (never by an account the email belongs
to, which may be at another centre: `centres.ownership` says only "an existing account"), and
a PRN change says that it changes, not the numbers (they need the PRN permission to see)."""

from __future__ import annotations

from centres.bulk.checks import Lookups
from centres.models import Membership
from reporting.imports import NEW as IMPORT_NEW
from reporting.imports import UPDATE as IMPORT_UPDATE

PEOPLE_STORED = 500  # people listed with an upload; the rest are counted in `people_more`
NEW, UPDATED = "new", "updated"


def _yes_no(value) -> str:
    return {True: "Yes", False: "No", None: "Not given"}[value]


def _job_group(lookups: Lookups, job_group_id) -> str:
    return lookups.job_groups.get(job_group_id, "None") if job_group_id is not None else "None"


def _text(value) -> str:
    return value or "(blank)"


def changes_described(membership: Membership, cleaned: dict, lookups: Lookups) -> list[str]:
    """What saving `cleaned` changes on `membership`, one line per field, in column order."""
    user = membership.user
    lines = []
    before = f"{user.first_name} {user.last_name}"
    after = f"{cleaned['first_name']} {cleaned['last_name']}"
    if before != after:
        lines.append(f"Name: {before} → {after}")
    if cleaned["email"] and cleaned["email"] != user.email.lower():
        lines.append(f"Email: {user.email} → {cleaned['email']}")
    if membership.alias_id != cleaned["alias_id"]:
        lines.append(f"Alias ID: {_text(membership.alias_id)} → {_text(cleaned['alias_id'])}")
    if membership.job_group_id != cleaned["job_group_id"]:
        old, new = _job_group(lookups, membership.job_group_id), _job_group(lookups, cleaned["job_group_id"])
        lines.append(f"Job group: {old} → {new}")
    for position in range(1, 7):
        name = f"answer{position}"
        if (getattr(membership, name) or "") != cleaned[name]:
            prompt = lookups.prompts.get(position)
            label = prompt.text if prompt is not None and prompt.text else f"Answer{position}"
            lines.append(f"{label}: {_text(getattr(membership, name))} → {_text(cleaned[name])}")
    if membership.is_active != cleaned["is_active"]:
        lines.append(f"Active: {_yes_no(membership.is_active)} → {_yes_no(cleaned['is_active'])}")
    if membership.has_prn != cleaned["has_prn"]:
        lines.append(f"Has a PRN: {_yes_no(membership.has_prn)} → {_yes_no(cleaned['has_prn'])}")
    if membership.prn != cleaned["prn"]:
        lines.append("PRN: changed")
    return lines


def person_in_file(values: dict[str, str]) -> dict:
    """The row's person as the file names them (the file's own text, nothing looked up)."""
    name = " ".join(part for part in (values.get("FirstName", ""), values.get("LastName", "")) if part)
    return {"name": name, "email": values.get("EmailAddress", "")}


def people_listed(results: list, rows: list, lookups: Lookups) -> tuple[list[dict], int]:
    """(up to PEOPLE_STORED new and updated people in row order, how many more there are)."""
    values_by_row = {row.row: row.values for row in rows}
    listed, more = [], 0
    for result in results:
        if result.status not in (IMPORT_NEW, IMPORT_UPDATE):
            continue
        if len(listed) >= PEOPLE_STORED:
            more += 1
            continue
        if result.status == IMPORT_NEW:
            person = person_in_file(values_by_row[result.row])
            listed.append({"row": result.row, "kind": NEW, **person, "changes": []})
        else:
            membership = result.membership
            listed.append(
                {
                    "row": result.row,
                    "kind": UPDATED,
                    "name": f"{membership.user.first_name} {membership.user.last_name}",
                    "email": membership.user.email,
                    "number": membership.delegate_number,
                    "changes": changes_described(membership, result.cleaned, lookups),
                }
            )
    return listed, more


def errors_named(errors: list[dict], rows: list) -> list[dict]:
    """Each stored error row with the person the file names on it."""
    values_by_row = {row.row: row.values for row in rows}
    return [{**error, **person_in_file(values_by_row.get(error["row"], {}))} for error in errors]
