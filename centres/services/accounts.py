"""Writes a person makes to their own account (C7 "My account")."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from centres.audit import audit_record
from centres.models import Centre, JobGroup, Membership, RegistrationPrompt
from centres.ownership import account_identity_update
from centres.services.details import NAME_MAX_LENGTH, answers_checked, changed_labels, prn_problem
from centres.services.errors import CentreServiceError
from core.services import model_update

RECORD_LABELS = {"job_group": "job group", "has_prn": "PRN", "prn": "PRN", "centre_email": "centre email"} | {
    f"answer{position}": "registration answers" for position in range(1, RegistrationPrompt.MAX_PROMPTS + 1)
}


def _names_checked(first_name: str, last_name: str) -> tuple[str, str]:
    first_name, last_name = first_name.strip(), last_name.strip()
    for value, what in ((first_name, "first name"), (last_name, "last name")):
        if not value:
            raise CentreServiceError(f"Enter your {what}")
        if len(value) > NAME_MAX_LENGTH:
            raise CentreServiceError(f"Your {what} must be {NAME_MAX_LENGTH} characters or fewer")
    return first_name, last_name


def _record_values(
    *,
    centre: Centre,
    job_group: JobGroup | None,
    answers: dict[int, str],
    has_prn: bool | None,
    prn: str,
    centre_email: str,
) -> dict:
    """The person's record at `centre` as they entered it, checked (the first problem raised)."""
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
    values = {"job_group": job_group, "has_prn": has_prn, "prn": prn, "centre_email": centre_email}
    answers = answers_checked(centre=centre, answers=answers)
    return values | {f"answer{position}": answer for position, answer in answers.items()}


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
    first_name, last_name = _names_checked(first_name, last_name)
    changed = []
    if account_identity_update(user=user, centre=centre, changed_by=user, first_name=first_name, last_name=last_name):
        changed.append("name")
    membership = Membership.objects.for_centre(centre).filter(user=user).first()
    if membership is not None:
        values = _record_values(
            centre=centre,
            job_group=job_group,
            answers=answers or {},
            has_prn=has_prn,
            prn=prn,
            centre_email=centre_email,
        )
        # Checked above with messages written for the person; the model's own checks would only repeat them.
        update = model_update(membership, values, clean=False)
        changed += [label for label in changed_labels(update, RECORD_LABELS) if label not in changed]
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
