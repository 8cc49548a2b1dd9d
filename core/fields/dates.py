"""The NHS.UK date input: day, month and year boxes, the one way a person types a date.

Posted as ``<name>-day``, ``<name>-month`` and ``<name>-year``. A single value under ``<name>``
(``2027-03-31`` or ``31/3/2027``: a bookmarked filter link, a date picker) is read as the same
three parts, so old links keep working. Messages name the date ("Date of birth must include a
month", "... must be a real date"); ``error_messages`` may replace any of them by code:
required, incomplete, invalid, future, past, too_old."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.fields.base import label_subject

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2,4})\s*$")
PARTS = ("day", "month", "year")


def date_parts_from_text(text: str) -> list[str]:
    """ "2027-03-31" or "31/3/2027" -> ["31", "3", "2027"]; anything else stays whole (and is
    then refused as not a real date)."""
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return [day, month, year]
    if match := _DAY_MONTH_YEAR.match(text):
        return list(match.groups())
    return [text, "", ""]


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes; templates draw them with the NHS.UK date input."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [str(parsed.day), str(parsed.month), str(parsed.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}-{part}" in data for part in PARTS) and data.get(name):
            return date_parts_from_text(str(data[name]))
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class DateField(forms.MultiValueField):
    """A date typed as day, month and year. ``name`` is how messages call it (the label, less
    any " (optional)", unless given). ``past_only``: today or before; ``future_only``: after
    today; ``oldest_age``: no more than that many years ago."""

    widget = DateWidget

    def __init__(
        self,
        *,
        name: str | None = None,
        past_only: bool = False,
        future_only: bool = False,
        oldest_age: int | None = None,
        **kwargs,
    ):
        given = dict(kwargs.pop("error_messages", None) or {})
        self.name = name or label_subject(kwargs.get("label") or "Date")
        self.past_only = past_only
        self.future_only = future_only
        self.oldest_age = oldest_age
        parts = [forms.CharField(required=False) for _ in PARTS]
        messages = {"required": f"Enter {self.name[:1].lower() + self.name[1:]}", **given}
        super().__init__(parts, require_all_fields=False, error_messages=messages, **kwargs)
        self.given_messages = given

    def _error(self, code: str, message: str) -> ValidationError:
        return ValidationError(self.given_messages.get(code, message), code=code)

    def compress(self, data_list):
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        if any(part and not part.isdigit() for part in (day, month, year)):
            raise self._error("invalid", f"{self.name} must be a real date")
        missing = [label for label, part in zip(PARTS, (day, month, year), strict=True) if not part]
        if missing:
            raise self._error("incomplete", f"{self.name} must include a {' and a '.join(missing)}")
        if len(year) != 4:
            raise self._error("invalid", f"{self.name} must be a real date, with a 4-digit year, like 15 3 1998")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid", f"{self.name} must be a real date") from None
        self._check_range(value)
        return value

    def _check_range(self, value: date) -> None:
        today = timezone.localdate()
        if self.past_only and value > today:
            raise self._error("future", f"{self.name} must be today or in the past")
        if self.future_only and value <= today:
            raise self._error("past", f"{self.name} must be in the future")
        if self.oldest_age is not None and _age_on(value, today) > self.oldest_age:
            raise self._error("too_old", f"{self.name} must be within the last {self.oldest_age} years: check the year")
