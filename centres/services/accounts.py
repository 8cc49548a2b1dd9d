"""Writes a person makes to their own account (C7 "My account")."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from centres.audit import audit_record
from centres.models import (
    Centre,
    JobGroup,
    Membership,
    RegistrationPrompt,
)
from centres.ownership import account_identity_update
from centres.services.details import NAME_MAX_LENGTH, prn_problem, prompt_answer_problem
from centres.services.errors import CentreServiceError


@transaction.atomic
def account_details_update(
    *,
    user,
    centre: Centre,
    first_name: str,
    last_name: str,
    job_group: JobGroup | None = None,
    answers: dict[int, str] | None = None,
    has_prn: bool | None = None,
    prn: str = "",
    centre_email: str = "",
    request=None,
) -> list[str]:
    """C7: a person changes their own details: their name (every centre) and their delegate
    record at `centre`. Returns the names of what changed (for the message and audit)."""
    first_name, last_name = first_name.strip(), last_name.strip()
    for value, what in ((first_name, "first name"), (last_name, "last name")):
        if not value:
            raise CentreServiceError(f"Enter your {what}")
        if len(value) > NAME_MAX_LENGTH:
            raise CentreServiceError(f"Your {what} must be {NAME_MAX_LENGTH} characters or fewer")

    changed = []
    if account_identity_update(user=user, centre=centre, changed_by=user, first_name=first_name, last_name=last_name):
        changed.append("name")
    membership = Membership.objects.for_centre(centre).filter(user=user).first()
    if membership is not None:
        if job_group is None:
            raise CentreServiceError("Select your job group")
        prn = prn.strip()
        problem = prn_problem(has_prn=has_prn, prn=prn)
        if problem:
            raise CentreServiceError(problem)
        centre_email = centre_email.strip().lower()
        if centre_email:
            try:
                validate_email(centre_email)
            except ValidationError as error:
                raise CentreServiceError(
                    "Enter your centre email address in the right format, like name@nhs.net"
                ) from error
        updates = {"job_group": job_group, "has_prn": has_prn, "prn": prn, "centre_email": centre_email}
        answers = answers or {}
        for prompt in RegistrationPrompt.objects.for_centre(centre):
            answer = answers.get(prompt.position, "").strip()
            problem = prompt_answer_problem(prompt=prompt, answer=answer)
            if problem:
                raise CentreServiceError(problem)
            updates[prompt.answer_field] = answer
        labels = {"job_group": "job group", "has_prn": "PRN", "prn": "PRN", "centre_email": "centre email"}
        for name, value in updates.items():
            if getattr(membership, name) != value:
                setattr(membership, name, value)
                label = labels.get(name, "registration answers")
                if label not in changed:
                    changed.append(label)
        if changed:
            membership.save()
    if changed:
        audit_record(
            actor=user,
            centre=centre,
            action="account.details_changed",
            target=membership or user,
            summary=f"{user.get_full_name()} changed their {', '.join(changed)}",
            request=request,
        )
    return changed
