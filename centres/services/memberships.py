"""Writes for memberships: creating them, delegate numbers, unlocking a locked account."""

import re

from django.db import transaction
from django.db.models import F

from accounts.services import user_unlock
from centres.audit import audit_record
from centres.models import Centre, DelegateNumberCounter, JobGroup, Membership, RegistrationType
from centres.services.errors import CentreServiceError
from centres.signals import memberships_created


def _initials(first_name: str, last_name: str) -> str:
    letters = "".join(part[:1] for part in (first_name, last_name) if part)
    letters = re.sub(r"[^A-Za-z]", "", letters).upper()
    return letters or "X"


def delegate_number_allocate(*, first_name: str, last_name: str) -> str:
    """C5: initials + a platform-wide number. The counter row is updated first, so concurrent
    registrations queue on its row lock and never share a number."""
    return delegate_numbers_allocate(names=[(first_name, last_name)])[0]


def delegate_numbers_allocate(*, names: list[tuple[str, str]]) -> list[str]:
    """C5 for many people at once (U2 bulk upload): one counter update reserves a block of
    consecutive numbers, in the order of `names` (first name, last name)."""
    if not names:
        return []
    with transaction.atomic():
        DelegateNumberCounter.objects.get_or_create(pk=1)
        DelegateNumberCounter.objects.filter(pk=1).update(last_number=F("last_number") + len(names))
        last = DelegateNumberCounter.objects.get(pk=1).last_number
    first = last - len(names) + 1
    return [f"{_initials(given, family)}{first + k}" for k, (given, family) in enumerate(names)]


@transaction.atomic
def membership_create(
    *,
    user,
    centre: Centre,
    registration_type: RegistrationType,
    is_approved: bool,
    job_group: JobGroup | None = None,
    centre_email: str = "",
    actor=None,
    request=None,
) -> Membership:
    if Membership.objects.for_centre(centre).filter(user=user).exists():
        raise CentreServiceError(f"{user.get_full_name()} is already registered at {centre.name}")
    membership = Membership.objects.create(
        user=user,
        centre=centre,
        delegate_number=delegate_number_allocate(first_name=user.first_name, last_name=user.last_name),
        registration_type=registration_type,
        is_approved=is_approved,
        job_group=job_group,
        centre_email=centre_email,
    )
    audit_record(
        actor=actor,
        centre=centre,
        action="membership.created",
        target=membership,
        summary=(
            f"{user.get_full_name()} registered as {membership.delegate_number} "
            f"({RegistrationType(registration_type).label})"
        ),
        request=request,
    )
    memberships_created.send(sender=Membership, centre=centre, memberships=[membership])
    return membership


def membership_unlock(*, membership: Membership, unlocked_by, request=None) -> None:
    """C9: a centre manager unlocks the account of someone registered at their centre."""

    if not membership.user.is_locked:
        raise CentreServiceError(f"{membership.user.get_full_name()}'s account is not locked")
    user_unlock(
        user=membership.user,
        unlocked_by=unlocked_by,
        request=request,
        reason=f"unlocked by a centre manager at {membership.centre.name}",
        centre=membership.centre,
    )
