"""Checks of one ESR row's values that need no database (docs/esr-feed.md): each returns
the parsed value and appends every problem, in plain words, to `messages`."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

ASSIGNMENT_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-]{0,29}")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
NAME_MAX_LENGTH = 100

# EmploymentType cell (compared without case) -> StaffMember.employment_type
EMPLOYMENT_TYPES = {
    "current": "current",
    "current employee": "current",
    "new starter": "new_starter",
    "new_starter": "new_starter",
    "temporary mover": "new_starter",
}


def assignment_number_check(text: str, messages: list[str]) -> str:
    if not text:
        messages.append("Enter the assignment number")
    elif not ASSIGNMENT_NUMBER.fullmatch(text):
        messages.append(
            f"The assignment number “{text}” must be up to 30 letters, digits and hyphens, starting with a "
            "letter or digit"
        )
    return text


def name_check(text: str, what: str, messages: list[str]) -> str:
    if not text:
        messages.append(f"Enter the {what}")
    elif len(text) > NAME_MAX_LENGTH:
        messages.append(f"The {what} must be {NAME_MAX_LENGTH} characters or fewer")
    return text


def email_check(text: str, messages: list[str]) -> str:
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        messages.append(f"The email address “{text}” is not valid: enter it like name@example.nhs.uk")
        return ""
    return text.lower()


def employment_type_check(text: str, messages: list[str]) -> str:
    value = EMPLOYMENT_TYPES.get(text.casefold())
    if value is None:
        shown = f"“{text}”" if text else "is blank: it"
        messages.append(f"The employment type {shown} must be Current, New starter or Temporary mover")
    return value or ""


def date_check(text: str, what: str, messages: list[str]) -> date | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":  # YYYY-MM-DD, the usual form: no strptime per cell
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    messages.append(f"The {what} “{text}” is not a real date: enter it as YYYY-MM-DD (for example 2026-03-31)")
    return None
