"""The per-column checks of one DelegatesBulkUpload row. Each check reads the row's texts
(and what `Lookups` loaded up front: no check makes a query), adds what it cleaned to
`cleaned` and returns its problems in plain words. `validation.validate` runs them in
column order, so a row's messages keep that order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import User
from centres.models import Membership, RegistrationPrompt
from centres.ownership import EMAIL_IN_USE_HERE, EXISTING_ACCOUNT
from centres.services.details import NAME_MAX_LENGTH, prn_problem, prompt_answer_problem

EMAIL_MAX_LENGTH = 250
ALIAS_MAX_LENGTH = 250
ANSWER_COLUMNS = [f"Answer{n}" for n in range(1, 7)]

_BOOL = {"true": True, "false": False, "1": True, "0": False}
_WHITESPACE = re.compile(r"\s")


@dataclass
class Lookups:
    """Everything the checks compare a row with, loaded once per file."""

    by_number: dict[str, Membership]  # DelegateID (upper case) -> the centre's record
    by_email: dict[str, Membership]  # email (lower case) -> the centre's record
    users: dict[str, User]  # email (lower case) -> any account
    prompts: dict[int, RegistrationPrompt]
    job_groups: dict[int, str]  # id -> name
    email_count: dict[str, int] = field(default_factory=dict)  # rows of the file per email
    number_count: dict[str, int] = field(default_factory=dict)  # rows of the file per DelegateID


def boolean(text: str) -> bool | None:
    return _BOOL.get(text.strip().lower())


def _job_group_id(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def email_problem(email: str) -> str | None:
    if len(email) > EMAIL_MAX_LENGTH:
        return f"EmailAddress must be {EMAIL_MAX_LENGTH} characters or fewer"
    if _WHITESPACE.search(email):
        return "EmailAddress must not contain spaces"
    try:
        validate_email(email)
    except ValidationError:
        return f"EmailAddress “{email}” is not a valid email address, like name@example.nhs.uk"
    return None


def identity_check(values: dict[str, str], lookups: Lookups) -> tuple[Membership | None, list[str]]:
    """DelegateID: the centre's record this row updates (None for a new row)."""
    number = values["DelegateID"]
    email = values["EmailAddress"].lower()
    if number:
        membership = lookups.by_number.get(number.upper())
        if membership is None:
            return None, [f"DelegateID {number} was not found at this centre"]
        if lookups.number_count[number.upper()] > 1:
            return membership, [f"DelegateID {number} appears on more than one row"]
        return membership, []
    if email and email in lookups.by_email:
        # DLS: a new row (no DelegateID) with a delegate's email is an error, not an update.
        return None, [EMAIL_IN_USE_HERE]
    return None, []


def names_check(values: dict[str, str], cleaned: dict) -> list[str]:
    messages = []
    for column, label in (("FirstName", "first name"), ("LastName", "last name")):
        if not values[column]:
            messages.append(f"{column} is blank: enter the delegate's {label}")
        elif len(values[column]) > NAME_MAX_LENGTH:
            messages.append(f"{column} must be {NAME_MAX_LENGTH} characters or fewer")
    cleaned["first_name"], cleaned["last_name"] = values["FirstName"], values["LastName"]
    return messages


def alias_check(values: dict[str, str], cleaned: dict) -> list[str]:
    cleaned["alias_id"] = values["AliasID"]
    if len(values["AliasID"]) > ALIAS_MAX_LENGTH:
        return [f"AliasID must be {ALIAS_MAX_LENGTH} characters or fewer"]
    return []


def job_group_check(values: dict[str, str], lookups: Lookups, cleaned: dict) -> list[str]:
    text = values["JobGroupID"]
    job_group_id = _job_group_id(text) if text else None
    cleaned["job_group_id"] = job_group_id
    if not text:
        return ["JobGroupID is blank: enter a number from the JobGroups sheet"]
    if job_group_id not in lookups.job_groups:
        return [f"JobGroupID {text} is not a job group: use a number from the JobGroups sheet"]
    return []


def active_check(values: dict[str, str], cleaned: dict) -> list[str]:
    cleaned["is_active"] = boolean(values["Active"])
    return ["Active must be TRUE or FALSE"] if cleaned["is_active"] is None else []


def _email_owner_problem(email: str, membership: Membership | None, lookups: Lookups, *, has_number: bool) -> list:
    owner = lookups.by_email.get(email)
    if owner is not None and membership is not None and owner.pk != membership.pk:
        return [f"EmailAddress {email} belongs to another delegate at this centre ({owner.delegate_number})"]
    if owner is None and membership is not None and email in lookups.users:
        return [f"EmailAddress {email} is already used by another person's account"]
    if owner is None and membership is None and not has_number and email in lookups.users:
        return [EXISTING_ACCOUNT]
    return []


def email_check(values: dict[str, str], lookups: Lookups, membership: Membership | None, cleaned: dict) -> list[str]:
    """Run after `active_check` (a blank email is allowed only for an inactive update)."""
    email = values["EmailAddress"].lower()
    cleaned["email"] = email
    has_number = bool(values["DelegateID"])
    if not email:
        is_new = membership is None and not has_number
        if is_new or cleaned["is_active"]:
            return ["EmailAddress is blank: an email address is required for new and active delegates"]
        return []
    problem = email_problem(email)
    if problem:
        return [problem]
    if lookups.email_count[email] > 1:
        return [f"EmailAddress {email} appears on more than one row in this file"]
    return _email_owner_problem(email, membership, lookups, has_number=has_number)


def answers_check(values: dict[str, str], lookups: Lookups, membership: Membership | None, cleaned: dict) -> list:
    messages = []
    for position, column in enumerate(ANSWER_COLUMNS, start=1):
        answer = values[column]
        prompt = lookups.prompts.get(position)
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
    return messages


def prn_check(values: dict[str, str], cleaned: dict) -> list[str]:
    has_prn = boolean(values["HasPRN"]) if values["HasPRN"] else None
    cleaned["has_prn"], cleaned["prn"] = has_prn, values["PRN"]
    if values["HasPRN"] and has_prn is None:
        return ["HasPRN must be TRUE, FALSE or blank"]
    if has_prn is None:
        return ["PRN is filled in but HasPRN is blank: set HasPRN to TRUE"] if values["PRN"] else []
    problem = prn_problem(has_prn=has_prn, prn=values["PRN"])
    return [f"HasPRN/PRN: {problem}"] if problem else []


def row_check(values: dict[str, str], lookups: Lookups) -> tuple[Membership | None, list[str], dict]:
    """(the record the row updates, its problems in column order, its cleaned values)."""
    membership, messages = identity_check(values, lookups)
    cleaned: dict = {}
    messages += names_check(values, cleaned)
    messages += alias_check(values, cleaned)
    messages += job_group_check(values, lookups, cleaned)
    messages += active_check(values, cleaned)
    messages += email_check(values, lookups, membership, cleaned)
    messages += answers_check(values, lookups, membership, cleaned)
    messages += prn_check(values, cleaned)
    return membership, messages, cleaned
