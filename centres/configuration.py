"""C10 centre configuration: the writes (services) and reads (selectors) behind
/centre/configuration/.

Kept apart from `centres/services/` so the configuration pages can grow without crowding
the delegate services. Every service is keyword-only, atomic and audited, and raises
`CentreServiceError` with a message written for the person. IP prefixes are not changed
here: only platform staff change them (in the platform admin).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Count, Q

from centres.audit import audit_record
from centres.models import Centre, Membership, RegistrationPrompt
from centres.services.errors import CentreServiceError

MAX_PROMPT_TEXT_LENGTH = 250
MAX_OPTIONS = 50
MAX_SUPPORT_DETAILS_LENGTH = 2000
MAX_PUBLIC_TEXT_LENGTH = 1000
TELEPHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{6,40}$")
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")

# The directory fields a centre manager may change (C10 "public website details").
PUBLIC_FIELDS = (
    "show_in_directory",
    "public_telephone",
    "public_email",
    "postcode",
    "opening_hours",
    "web_address",
    "areas_covered",
    "training_venues",
)


# -- rules shared by the forms and the services ---------------------------------------------


def prompt_options_clean(options: list[str] | str) -> list[str]:
    """Options one per line (or a list): trimmed, blank lines dropped, each at most 100
    characters, no duplicates (ignoring case), at most 50."""
    lines = options.splitlines() if isinstance(options, str) else list(options)
    cleaned: list[str] = []
    seen: set[str] = set()
    for line in lines:
        option = " ".join(line.split())
        if not option:
            continue
        if len(option) > RegistrationPrompt.MAX_OPTION_LENGTH:
            raise CentreServiceError(
                f"Each answer must be {RegistrationPrompt.MAX_OPTION_LENGTH} characters or fewer. "
                f"“{option[:40]}…” is {len(option)} characters"
            )
        if option.casefold() in seen:
            raise CentreServiceError(f"“{option}” is listed more than once. Enter each answer once")
        seen.add(option.casefold())
        cleaned.append(option)
    if len(cleaned) > MAX_OPTIONS:
        raise CentreServiceError(f"Enter {MAX_OPTIONS} answers or fewer. You entered {len(cleaned)}")
    return cleaned


def postcode_normalise(postcode: str) -> str:
    """Upper case with one space before the last three characters: "ls97tf" -> "LS9 7TF"."""
    compact = re.sub(r"\s+", "", postcode).upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def _check_email(value: str, message: str) -> str:
    value = value.strip()
    if value:
        try:
            EmailValidator()(value)
        except ValidationError:
            raise CentreServiceError(message) from None
    return value


# -- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptRow:
    prompt: RegistrationPrompt
    answer_count: int


def prompt_answer_counts(*, centre: Centre) -> dict[int, int]:
    """How many delegate records at the centre have an answer in each position (one query)."""
    counts = Membership.objects.for_centre(centre).aggregate(
        **{f"p{position}": Count("pk", filter=~Q(**{f"answer{position}": ""})) for position in range(1, 7)}
    )
    return {position: counts[f"p{position}"] for position in range(1, 7)}


def prompt_rows(*, centre: Centre) -> list[PromptRow]:
    """The centre's prompts in position order, each with its number of answers (two queries)."""
    counts = prompt_answer_counts(centre=centre)
    return [
        PromptRow(prompt=prompt, answer_count=counts[prompt.position])
        for prompt in RegistrationPrompt.objects.for_centre(centre).order_by("position")
    ]


def prompt_answer_count(*, prompt: RegistrationPrompt) -> int:
    return Membership.objects.for_centre(prompt.centre).exclude(**{prompt.answer_field: ""}).count()


# -- writes ----------------------------------------------------------------------------------


def _locked_centre(centre: Centre) -> Centre:
    """Lock the centre row so two people changing its configuration queue, not collide."""
    return Centre.objects.select_for_update().get(pk=centre.pk)


@transaction.atomic
def centre_notify_email_update(*, centre: Centre, notify_email: str, changed_by, request=None) -> Centre:
    notify_email = _check_email(
        notify_email, "Enter the notify email address in the correct format, like learning@trust.nhs.uk"
    )
    locked = _locked_centre(centre)
    before = locked.notify_email
    locked.notify_email = notify_email
    locked.save(update_fields=["notify_email", "updated_at"])
    audit_record(
        actor=changed_by,
        centre=locked,
        action="centre.notify_email_changed",
        target=locked,
        summary=f"Notify email changed from “{before or 'not set'}” to “{notify_email or 'not set'}”",
        request=request,
    )
    centre.notify_email = notify_email
    return locked


@transaction.atomic
def centre_support_details_update(*, centre: Centre, support_details: str, changed_by, request=None) -> Centre:
    support_details = support_details.strip()
    if len(support_details) > MAX_SUPPORT_DETAILS_LENGTH:
        raise CentreServiceError(f"Support details must be {MAX_SUPPORT_DETAILS_LENGTH} characters or fewer")
    locked = _locked_centre(centre)
    locked.support_details = support_details
    locked.save(update_fields=["support_details", "updated_at"])
    audit_record(
        actor=changed_by,
        centre=locked,
        action="centre.support_details_changed",
        target=locked,
        summary="Support details changed" if support_details else "Support details removed",
        request=request,
    )
    centre.support_details = support_details
    return locked


@transaction.atomic
def centre_public_details_update(*, centre: Centre, changed_by, request=None, **details) -> Centre:
    """The details "Find your centre" shows. Takes every field in PUBLIC_FIELDS."""
    unknown = set(details) - set(PUBLIC_FIELDS)
    if unknown:
        raise TypeError(f"Not public details: {sorted(unknown)}")
    values = {name: details[name] for name in PUBLIC_FIELDS}
    for name in PUBLIC_FIELDS:
        if isinstance(values[name], str):
            values[name] = values[name].strip()
    values["public_email"] = _check_email(
        values["public_email"], "Enter the public email address in the correct format, like learning@trust.nhs.uk"
    )
    if values["public_telephone"] and not TELEPHONE_PATTERN.match(values["public_telephone"]):
        raise CentreServiceError("Enter a telephone number, like 0113 243 3144 or +44 113 243 3144")
    if values["postcode"]:
        values["postcode"] = postcode_normalise(values["postcode"])
        if not POSTCODE_PATTERN.match(values["postcode"]):
            raise CentreServiceError("Enter a full UK postcode, like LS9 7TF")
    if values["web_address"]:
        try:
            URLValidator(schemes=["http", "https"])(values["web_address"])
        except ValidationError:
            raise CentreServiceError(
                "Enter a web address in the correct format, like https://www.leedsth.nhs.uk"
            ) from None
    if len(values["opening_hours"]) > 250:
        raise CentreServiceError("Opening hours must be 250 characters or fewer")
    for name in ("areas_covered", "training_venues"):
        if len(values[name]) > MAX_PUBLIC_TEXT_LENGTH:
            label = name.replace("_", " ").capitalize()
            raise CentreServiceError(f"{label} must be {MAX_PUBLIC_TEXT_LENGTH} characters or fewer")
    values["show_in_directory"] = bool(values["show_in_directory"])

    locked = _locked_centre(centre)
    changed = [name for name in PUBLIC_FIELDS if getattr(locked, name) != values[name]]
    for name in PUBLIC_FIELDS:
        setattr(locked, name, values[name])
        setattr(centre, name, values[name])
    locked.save(update_fields=[*PUBLIC_FIELDS, "updated_at"])
    labels = ", ".join(name.replace("_", " ") for name in changed) or "nothing"
    audit_record(
        actor=changed_by,
        centre=locked,
        action="centre.public_details_changed",
        target=locked,
        summary=f"Find your centre details changed: {labels}",
        request=request,
    )
    return locked


def _clean_prompt(text: str, options) -> tuple[str, list[str]]:
    text = " ".join(text.split())
    if not text:
        raise CentreServiceError("Enter the prompt text")
    if len(text) > MAX_PROMPT_TEXT_LENGTH:
        raise CentreServiceError(f"Prompt text must be {MAX_PROMPT_TEXT_LENGTH} characters or fewer")
    return text, prompt_options_clean(options)


@transaction.atomic
def registration_prompt_add(
    *, centre: Centre, text: str, is_mandatory: bool, options, added_by, request=None
) -> RegistrationPrompt:
    """Adds a prompt in the first free position (1-6); a 7th is refused."""
    text, options = _clean_prompt(text, options)
    locked = _locked_centre(centre)
    used = set(RegistrationPrompt.objects.for_centre(locked).values_list("position", flat=True))
    free = [position for position in range(1, RegistrationPrompt.MAX_PROMPTS + 1) if position not in used]
    if not free:
        raise CentreServiceError(
            f"A centre can have up to {RegistrationPrompt.MAX_PROMPTS} registration prompts. "
            "Remove one before adding another"
        )
    if any(
        prompt.casefold() == text.casefold()
        for prompt in RegistrationPrompt.objects.for_centre(locked).values_list("text", flat=True)
    ):
        raise CentreServiceError(f"You already have a prompt “{text}”")
    prompt = RegistrationPrompt.objects.create(
        centre=locked, position=free[0], text=text, is_mandatory=is_mandatory, options=options
    )
    audit_record(
        actor=added_by,
        centre=locked,
        action="registration_prompt.added",
        target=prompt,
        summary=f"Prompt {prompt.position} “{text}” added ({_describe(prompt)})",
        request=request,
    )
    return prompt


@transaction.atomic
def registration_prompt_update(
    *, prompt: RegistrationPrompt, text: str, is_mandatory: bool, options, changed_by, request=None
) -> RegistrationPrompt:
    text, options = _clean_prompt(text, options)
    _locked_centre(prompt.centre)
    others = RegistrationPrompt.objects.for_centre(prompt.centre).exclude(pk=prompt.pk)
    if any(other.casefold() == text.casefold() for other in others.values_list("text", flat=True)):
        raise CentreServiceError(f"You already have a prompt “{text}”")
    prompt.text = text
    prompt.is_mandatory = is_mandatory
    prompt.options = options
    prompt.save(update_fields=["text", "is_mandatory", "options", "updated_at"])
    audit_record(
        actor=changed_by,
        centre=prompt.centre,
        action="registration_prompt.changed",
        target=prompt,
        summary=f"Prompt {prompt.position} changed to “{text}” ({_describe(prompt)})",
        request=request,
    )
    return prompt


@transaction.atomic
def registration_prompt_remove(*, prompt: RegistrationPrompt, answers_confirmed: int, removed_by, request=None) -> int:
    """Removes the prompt and clears its answers at the centre; returns how many were cleared.

    `answers_confirmed` is the number of answers the person was shown and agreed to remove;
    if more delegates have answered since, nothing is removed and they are asked again."""
    centre = _locked_centre(prompt.centre)
    answered = Membership.objects.for_centre(centre).exclude(**{prompt.answer_field: ""})
    count = answered.count()
    if count > answers_confirmed:
        delegates = "delegate has" if count == 1 else "delegates have"
        raise CentreServiceError(
            f"{count} {delegates} answered this prompt. Check and confirm again to remove it and their answers"
        )
    cleared = answered.update(**{prompt.answer_field: ""})
    position, text = prompt.position, prompt.text
    audit_record(
        actor=removed_by,
        centre=centre,
        action="registration_prompt.removed",
        target=prompt,
        summary=f"Prompt {position} “{text}” removed; answers cleared for {cleared} delegate"
        f"{'' if cleared == 1 else 's'}",
        request=request,
    )
    prompt.delete()
    return cleared


def _describe(prompt: RegistrationPrompt) -> str:
    kind = "mandatory" if prompt.is_mandatory else "optional"
    if prompt.options:
        return f"{kind}, {len(prompt.options)} option{'' if len(prompt.options) == 1 else 's'}"
    return f"{kind}, free text"
