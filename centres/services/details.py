"""Rules shared by every form that takes a person's details: PRN, name length, prompt answers."""

import re

from centres.models import Centre, RegistrationPrompt
from centres.services.errors import CentreServiceError
from core.services import ModelUpdate

PRN_PATTERN = re.compile(r"^[A-Za-z0-9-]{5,20}$")
NAME_MAX_LENGTH = 250


def prn_problem(*, has_prn: bool | None, prn: str) -> str | None:
    """C2/C7/U3: a PRN is 5 to 20 letters, numbers or hyphens; required when the person has
    one, forbidden when they do not."""
    if has_prn is None:
        return "Select whether you have a professional registration number"
    if has_prn and not prn:
        return "Enter your professional registration number"
    if not has_prn and prn:
        return "Remove the professional registration number, or select Yes"
    if prn and not PRN_PATTERN.match(prn):
        return "Professional registration number must be 5 to 20 letters, numbers or hyphens"
    return None


def prompt_answer_problem(*, prompt: RegistrationPrompt, answer: str) -> str | None:
    if not answer:
        return f"Answer “{prompt.text}”" if prompt.is_mandatory else None
    if len(answer) > RegistrationPrompt.MAX_OPTION_LENGTH:
        return f"Answer to “{prompt.text}” must be {RegistrationPrompt.MAX_OPTION_LENGTH} characters or fewer"
    if prompt.options and answer not in prompt.options:
        return f"Select one of the answers listed for “{prompt.text}”"
    return None


def answers_checked(*, centre: Centre, answers: dict[int, str]) -> dict[int, str]:
    cleaned = {}
    for prompt in RegistrationPrompt.objects.for_centre(centre):
        answer = (answers.get(prompt.position) or "").strip()
        problem = prompt_answer_problem(prompt=prompt, answer=answer)
        if problem:
            raise CentreServiceError(problem)
        cleaned[prompt.position] = answer
    return cleaned


def prn_checked(*, has_prn: bool | None, prn: str) -> str:
    prn = prn.strip()
    problem = prn_problem(has_prn=bool(has_prn), prn=prn)
    if problem:
        raise CentreServiceError(problem)
    return prn


def changed_labels(update: ModelUpdate, labels: dict[str, str]) -> list[str]:
    """What `model_update` changed, in words for the person and the audit trail: each label
    once (a PRN is two fields, the registration answers up to six)."""
    return list(dict.fromkeys(update.summary(labels).split(", "))) if update else []
