"""NHS form fields: plain-English messages derived from the label (after breast-screening's
``nhsuk_forms``). A field given ``label="First name"`` says "Enter your first name" when empty
and "First name must be 250 characters or fewer" when too long, unless its ``error_messages``
say otherwise. ``owner`` names whose value it is in the messages ("your", "the person's",
"their"); a label's " (optional)" is left out of them."""

import re

from django import forms

OPTIONAL_SUFFIX = " (optional)"


def label_subject(label: str) -> str:
    """ "First name (optional)" -> "First name": the words messages use."""
    return str(label or "").removesuffix(OPTIONAL_SUFFIX).strip()


def _lower_first(text: str) -> str:
    # "NHS number" stays as written; "First name" becomes "first name".
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def required_message(label: str, *, verb: str = "Enter", owner: str = "your") -> str:
    words = _lower_first(label_subject(label))
    return f"{verb} {owner} {words}" if owner else f"{verb} {words}"


def max_length_message(label: str, max_length: int) -> str:
    return f"{label_subject(label)} must be {max_length:,} characters or fewer"


class MessagesFromLabel:
    """Fills in the messages a field's own ``error_messages`` leave out."""

    required_verb = "Enter"

    def _derive_messages(self, *, owner: str, given: dict) -> None:
        derived = {}
        if self.label:
            derived["required"] = required_message(self.label, verb=self.required_verb, owner=owner)
            if getattr(self, "max_length", None):
                derived["max_length"] = max_length_message(self.label, self.max_length)
            derived.update(self.extra_messages(owner=owner))
        # Field.run_validators puts error_messages[code] on a validator's error (max_length too).
        for key, message in derived.items():
            if key not in given:
                self.error_messages[key] = message

    def extra_messages(self, *, owner: str) -> dict:
        return {}


class CharField(MessagesFromLabel, forms.CharField):
    def __init__(self, *, owner: str = "your", **kwargs):
        super().__init__(**kwargs)
        self._derive_messages(owner=owner, given=kwargs.get("error_messages") or {})


class EmailField(MessagesFromLabel, forms.EmailField):
    EXAMPLE = "name@example.nhs.uk"

    def __init__(self, *, owner: str = "your", example: str = EXAMPLE, **kwargs):
        self.example = example
        super().__init__(**kwargs)
        self._derive_messages(owner=owner, given=kwargs.get("error_messages") or {})

    def extra_messages(self, *, owner: str) -> dict:
        return {"invalid": f"Enter an email address in the correct format, like {self.example}"}


class ChoiceField(MessagesFromLabel, forms.ChoiceField):
    required_verb = "Select"

    def __init__(self, *, owner: str = "your", **kwargs):
        super().__init__(**kwargs)
        self._derive_messages(owner=owner, given=kwargs.get("error_messages") or {})

    def extra_messages(self, *, owner: str) -> dict:
        words = _lower_first(label_subject(self.label))
        return {"invalid_choice": f"Select {words} from the list"}  # noqa: S608 (a message: "select ... from")


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(label: str, *, hint: str = "", required_message: str, required: bool = True) -> forms.ChoiceField:
    """Yes and No radios; the form reads the answer with ``yes_no_value``. The message says what
    to select ("Select yes if ..."), for a missing and for a tampered answer alike."""
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def yes_no_value(answer: str | None) -> bool | None:
    """ "yes" -> True, "no" -> False, anything else (not answered) -> None."""
    return {"yes": True, "no": False}.get(answer or "")


def yes_no_initial(value: bool | None) -> str | None:
    return {True: "yes", False: "no"}.get(value)


TELEPHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,40}$")
TELEPHONE_MESSAGE = "Enter a telephone number, like 0113 243 3144 or +44 113 243 3144"


class TelInput(forms.TextInput):
    input_type = "tel"


class TelephoneField(CharField):
    """A UK or international telephone number: digits, spaces, brackets, hyphens, a leading +."""

    widget = TelInput(attrs={"autocomplete": "tel"})

    def __init__(self, *, max_length: int = 40, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages.setdefault("invalid", TELEPHONE_MESSAGE)

    def clean(self, value):
        value = super().clean(value)
        if value and not TELEPHONE_PATTERN.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value
