"""Checks shared by the centres services that take a person's details. The rules themselves
(PRN, name length, prompt answers) are core.fields' and shared with the forms and the bulk upload."""

from centres.models import Centre, RegistrationPrompt
from centres.services.errors import CentreServiceError
from core.fields import PERSON_NAME_MAX_LENGTH, prn_problem, prompt_answer_problem
from core.services import ModelUpdate

NAME_MAX_LENGTH = PERSON_NAME_MAX_LENGTH  # the bulk upload's name check


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
