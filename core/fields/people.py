"""The fields every app asks of a person, written once: name, email, professional registration
number (PRN) and the answer to a centre's registration prompt.

Core knows no app, so the limits live here and the models use them: ``accounts.User`` takes
its name lengths from ``PERSON_NAME_MAX_LENGTH``, ``centres.Membership`` its PRN length from
``PRN_MAX_LENGTH``, ``RegistrationPrompt`` its answer length from ``PROMPT_ANSWER_MAX_LENGTH``
(core/tests check that they still agree)."""

import re

from django import forms

from core.fields.base import YES_NO, CharField, ChoiceField, EmailField

PERSON_NAME_MAX_LENGTH = 250
EMAIL_MAX_LENGTH = 254


def first_name_field(*, owner: str = "your", max_length: int = PERSON_NAME_MAX_LENGTH, **kwargs) -> CharField:
    kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}))
    return CharField(label="First name", max_length=max_length, owner=owner, **kwargs)


def last_name_field(*, owner: str = "your", max_length: int = PERSON_NAME_MAX_LENGTH, **kwargs) -> CharField:
    kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}))
    return CharField(label="Last name", max_length=max_length, owner=owner, **kwargs)


def email_field(*, owner: str = "your", **kwargs) -> EmailField:
    kwargs.setdefault("label", "Email address")
    kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
    kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    return EmailField(owner=owner, **kwargs)


class PersonNameFields(forms.Form):
    """First name and last name. Forms about someone else say whose name it is with
    ``person_owner_set(form, "the delegate's")``."""

    first_name = first_name_field()
    last_name = last_name_field()


class PersonFields(PersonNameFields):
    """First name, last name and email address (lower-cased), as every registration asks."""

    email = email_field()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


def person_owner_set(form: forms.Form, owner: str) -> None:
    """Say whose details these are in the required messages ("Enter the delegate's first name")."""
    for name, words in (("first_name", "first name"), ("last_name", "last name"), ("email", "email address")):
        if name in form.fields:
            form.fields[name].error_messages["required"] = f"Enter {owner} {words}"


# -- Professional registration number (PRN) -------------------------------------------------

PRN_MAX_LENGTH = 20
PRN_PATTERN = re.compile(r"^[A-Za-z0-9-]{5,20}$")
PRN_LABEL = "Professional registration number"
PRN_QUESTION = "Do you have a professional registration number (PRN)?"
PRN_HINT = "5 to 20 letters, numbers or hyphens, like NMC-12A3456. Leave it empty if you answered No."
PRN_FORMAT_MESSAGE = f"{PRN_LABEL} must be 5 to 20 letters, numbers or hyphens"


def prn_problem(*, has_prn: bool | None, prn: str) -> str | None:
    """The one PRN rule (forms, services and the bulk upload): 5 to 20 letters, numbers or
    hyphens; required when the person has one, refused when they do not."""
    if has_prn is None:
        return "Select whether you have a professional registration number"
    if has_prn and not prn:
        return "Enter your professional registration number"
    if not has_prn and prn:
        return "Remove the professional registration number, or select Yes"
    if prn and not PRN_PATTERN.match(prn):
        return PRN_FORMAT_MESSAGE
    return None


def has_prn_field(**overrides) -> ChoiceField:
    """Yes/No: does the person have a PRN? (``label=`` for a form about someone else)."""
    options = {
        "label": PRN_QUESTION,
        "choices": YES_NO,
        "widget": forms.RadioSelect,
        "help_text": "For example, an NMC PIN or a GMC number.",
        "error_messages": {
            "required": "Select whether you have a professional registration number",
            "invalid_choice": "Select Yes or No",
        },
    }
    return ChoiceField(**(options | overrides))


def prn_field(**overrides) -> CharField:
    options = {
        "label": PRN_LABEL,
        "required": False,
        "max_length": PRN_MAX_LENGTH,
        "help_text": PRN_HINT,
        "widget": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        # Too long breaks the same rule as too short: one message for both.
        "error_messages": {"max_length": PRN_FORMAT_MESSAGE},
    }
    return CharField(**(options | overrides))


def prn_clean(form: forms.Form, cleaned: dict) -> dict:
    """Apply ``prn_problem`` to a form's ``has_prn`` and ``prn`` (from ``clean()``). A form whose
    ``has_prn`` is optional reads "not answered" as No."""
    if "has_prn" not in form.fields or "prn" not in form.fields:
        return cleaned  # not asked (someone who may not see PRNs)
    prn = (cleaned.get("prn") or "").strip()
    cleaned["prn"] = prn
    if "has_prn" in form.errors or "prn" in form.errors:
        return cleaned
    has_prn = {"yes": True, "no": False}.get(cleaned.get("has_prn") or "")
    if has_prn is None and not form.fields["has_prn"].required:
        has_prn = False
    problem = prn_problem(has_prn=has_prn, prn=prn)
    if problem:
        form.add_error("prn", problem)
    return cleaned


class PrnFields(forms.Form):
    """``has_prn`` (Yes/No) and ``prn``, checked together by ``prn_problem``. ``prn_values()``
    gives the service's ``has_prn`` and ``prn``."""

    has_prn = has_prn_field()
    prn = prn_field()

    def clean(self):
        return prn_clean(self, super().clean())

    def prn_values(self) -> dict:
        has_prn = self.cleaned_data.get("has_prn") == "yes"
        return {"has_prn": has_prn, "prn": self.cleaned_data.get("prn", "") if has_prn else ""}


# -- A centre's registration prompt ----------------------------------------------------------

PROMPT_ANSWER_MAX_LENGTH = 100


def prompt_answer_problem(*, prompt, answer: str) -> str | None:
    """The rule for an answer (the prompt has ``text``, ``is_mandatory`` and ``options``),
    shared by the field below, the services and the bulk upload."""
    if not answer:
        return f"Answer “{prompt.text}”" if prompt.is_mandatory else None
    if len(answer) > PROMPT_ANSWER_MAX_LENGTH:
        return f"Answer to “{prompt.text}” must be {PROMPT_ANSWER_MAX_LENGTH} characters or fewer"
    if prompt.options and answer not in prompt.options:
        return f"Select one of the answers listed for “{prompt.text}”"
    return None


def prompt_answer_field(prompt) -> forms.Field:
    """The field for a registration prompt (``text``, ``is_mandatory``, ``options``): a select
    of its answers, or a short text box; "(optional)" on the label when it may be left empty."""
    label = prompt.text if prompt.is_mandatory else f"{prompt.text} (optional)"
    messages = {
        "required": f"Answer “{prompt.text}”",
        "invalid_choice": f"Select one of the answers listed for “{prompt.text}”",
        "max_length": f"Answer to “{prompt.text}” must be {PROMPT_ANSWER_MAX_LENGTH} characters or fewer",
    }
    if prompt.options:
        return forms.ChoiceField(
            label=label,
            required=prompt.is_mandatory,
            choices=[("", "Select an answer"), *((option, option) for option in prompt.options)],
            error_messages=messages,
        )
    return forms.CharField(
        label=label, required=prompt.is_mandatory, max_length=PROMPT_ANSWER_MAX_LENGTH, error_messages=messages
    )
