"""Writes a centre makes to its delegates' records (C7): update, deactivate, reactivate, delete."""

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from centres.audit import audit_record
from centres.models import JobGroup, Membership, RegistrationPrompt, RoleAssignment
from centres.ownership import account_change_blocker, account_identity_update
from centres.selectors.delegates import delegate_deletion_blocker
from centres.services.details import answers_checked, changed_labels, prn_checked
from centres.services.errors import CentreServiceError, DelegateEmailTakenError
from core.services import model_update

RECORD_LABELS = {"centre_email": "centre email", "job_group": "job group", "has_prn": "PRN", "prn": "PRN"} | {
    f"answer{position}": f"answer {position}" for position in range(1, RegistrationPrompt.MAX_PROMPTS + 1)
}


def delegate_email_change_blocker(*, membership: Membership, changed_by) -> str:
    """Why `changed_by` may not change this person's login email ("" when they may): the
    account-ownership rule in centres.ownership."""

    return account_change_blocker(user=membership.user, centre=membership.centre, changed_by=changed_by)


@transaction.atomic
def delegate_update(
    *,
    membership: Membership,
    updated_by,
    first_name: str,
    last_name: str,
    email: str,
    centre_email: str = "",
    job_group: JobGroup | None,
    answers: dict[int, str],
    has_prn: bool | None,
    prn: str = "",
    request=None,
) -> Membership:
    """C7: an administrator changes a delegate's details. Name and login email belong to the
    person's account (shared by all their centres); the rest to this centre's record."""
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip().lower()
    if not first_name or not last_name:
        raise CentreServiceError("Enter the delegate's first and last name")
    if not email:
        raise CentreServiceError("Enter the delegate's email address")
    if job_group is None:
        raise CentreServiceError("Select a job group")
    answers = answers_checked(centre=membership.centre, answers=answers)
    prn = prn_checked(has_prn=has_prn, prn=prn)

    user = membership.user
    try:
        with transaction.atomic():
            changed = account_identity_update(
                user=user,
                centre=membership.centre,
                changed_by=updated_by,
                first_name=first_name,
                last_name=last_name,
                email=email,
                request=request,
            )
    except IntegrityError as error:  # a concurrent change took the address first
        raise DelegateEmailTakenError(f"{email} is already used by another account") from error

    values = {"centre_email": centre_email.strip().lower(), "job_group": job_group, "has_prn": has_prn, "prn": prn}
    values |= {f"answer{position}": answer for position, answer in answers.items()}
    update = model_update(membership, values, clean=False)  # checked above, in the person's words
    changed += [label for label in changed_labels(update, RECORD_LABELS) if label not in changed]
    audit_record(
        actor=updated_by,
        centre=membership.centre,
        action="membership.updated",
        target=membership,
        summary=f"Details of {user.get_full_name()} ({membership.delegate_number}) changed: "
        + (", ".join(changed) or "nothing"),
        request=request,
    )
    return membership


@transaction.atomic
def delegate_deactivate(*, membership: Membership, deactivated_by, request=None) -> Membership:
    """C7: the record is kept; the person can no longer use this centre."""
    if not membership.is_active:
        raise CentreServiceError(f"{membership.user.get_full_name()} is already inactive")
    if membership.user_id == deactivated_by.pk:
        raise CentreServiceError("You cannot deactivate your own record. Ask another administrator.")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=deactivated_by,
        centre=membership.centre,
        action="membership.deactivated",
        target=membership,
        summary=f"{membership.user.get_full_name()} ({membership.delegate_number}) deactivated",
        request=request,
    )
    return membership


@transaction.atomic
def delegate_reactivate(*, membership: Membership, reactivated_by, request=None) -> Membership:
    if membership.is_active:
        raise CentreServiceError(f"{membership.user.get_full_name()} is already active")
    membership.is_active = True
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=reactivated_by,
        centre=membership.centre,
        action="membership.reactivated",
        target=membership,
        summary=f"{membership.user.get_full_name()} ({membership.delegate_number}) reactivated",
        request=request,
    )
    return membership


@transaction.atomic
def delegate_delete(*, membership: Membership, deleted_by, request=None) -> None:
    """C7: delete a record nobody has used. The account goes too when it has no other centre
    and nothing else refers to it."""

    blocker = delegate_deletion_blocker(membership=membership)
    if blocker:
        raise CentreServiceError(blocker)
    user, centre = membership.user, membership.centre
    summary = f"{user.get_full_name()} ({membership.delegate_number}) deleted: never used"
    audit_record(
        actor=deleted_by,
        centre=centre,
        action="membership.deleted",
        target=membership,
        summary=summary,
        request=request,
    )
    membership.delete()
    if not Membership.objects.filter(user=user).exists() and not RoleAssignment.objects.filter(user=user).exists():
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            pass  # something else refers to the account (e.g. a support ticket); keep it
