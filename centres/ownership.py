"""The account-ownership rule (issue 11, finding 1): the one place that decides whether a
centre may create, attach, rename or re-email a person's account.

An account belongs to its person. A centre may:
- create a NEW account (an email no account uses) and its record at the centre;
- change the name or login email of an account that is wholly its own (no record or role at
  another centre or register, not platform staff, no role here the editor could not grant).
It may never attach an existing account that is not already at the centre, nor rename or
re-email one that also exists elsewhere: such a person joins only by their own action (they
register themselves, or accept an invitation). Refusals never say where the account is used.

Every write of `User.email`, `User.first_name` or `User.last_name` outside account creation
happens here (tests/test_data_paths_people.py checks the source for writes elsewhere), and
every email change tells the old address and is audited.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create, users_create_unclaimed
from centres.audit import audit_record
from centres.models import Centre, Membership, RoleAssignment
from centres.roles import grantable_roles
from centres.selectors.memberships import active_roles
from centres.services.errors import CentreServiceError, DelegateEmailTakenError
from notifications.services import email_send

# Said to a centre (or register administrator) who names an existing account that is not
# theirs. It must not say which centre, register or role holds the account.
EXISTING_ACCOUNT = (
    "This email address belongs to an existing account. "
    "Ask the person to register at your centre themselves (they log in first)."
)
# DLS: a new row (bulk upload) or form naming an email that a delegate of this centre uses.
EMAIL_IN_USE_HERE = "The EmailAddress is already in use by another delegate"
EMAIL_IN_USE_HERE_FORM = "This email address is already in use by another delegate at your centre"


class AccountOwnershipError(CentreServiceError):
    """A centre tried to take, rename or re-email an account that is not its own."""


def email_owner_id(email: str) -> int | None:
    """The id of the account that uses `email` as its login or another address, or None."""

    email = email.strip().lower()
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if user_id is None:
        user_id = EmailAddress.objects.filter(email__iexact=email).values_list("user_id", flat=True).first()
    return user_id


def accounts_used_elsewhere(*, user_ids, centre: Centre) -> set[int]:
    """Which of `user_ids` also exist outside `centre`: platform staff or superusers, a record
    at another centre, or a role (centre or register) at another centre. Three queries."""
    user_ids = set(user_ids)
    if not user_ids:
        return set()
    elsewhere = set(
        User.objects.filter(pk__in=user_ids)
        .filter(Q(is_staff=True) | Q(is_superuser=True))
        .values_list("pk", flat=True)
    )
    elsewhere |= set(
        Membership.objects.filter(user_id__in=user_ids).exclude(centre=centre).values_list("user_id", flat=True)
    )
    elsewhere |= set(
        RoleAssignment.objects.filter(user_id__in=user_ids, revoked_at__isnull=True)
        .exclude(centre=centre)
        .values_list("user_id", flat=True)
    )
    return elsewhere


def accounts_change_refused(*, user_ids, centre: Centre, changed_by) -> tuple[set[int], set[int]]:
    """For many accounts at once (bulk upload): (the ids `changed_by` may not rename, the ids
    they may not re-email). Four queries."""
    user_ids = set(user_ids)
    rename = accounts_used_elsewhere(user_ids=user_ids, centre=centre)
    reemail = set(rename)
    if changed_by is not None and user_ids:
        may_grant = grantable_roles(active_roles(user=changed_by, centre=centre), is_platform_staff=changed_by.is_staff)
        held = RoleAssignment.objects.for_centre(centre).filter(user_id__in=user_ids, revoked_at__isnull=True)
        reemail |= {user_id for user_id, role in held.values_list("user_id", "role") if role not in may_grant}
        reemail.discard(changed_by.pk)
        rename.discard(changed_by.pk)
    return rename, reemail


def account_change_blocker(*, user, centre: Centre, changed_by, email: bool = True) -> str:
    """Why `changed_by`, acting for `centre`, may not change this account's login email (or,
    with `email=False`, its name) ("" when they may). Whoever controls the login email can
    reset the password, so a centre may only re-email an account that is wholly its own, and
    may rename only one that exists nowhere else."""
    if changed_by is not None and changed_by.pk == user.pk:
        return ""  # the owner changes their own details
    name = user.get_full_name()
    ask = f"Ask {name} to change it themselves, or contact the platform team."
    # Platform staff and accounts used elsewhere get the same words: where else is not said.
    if user.is_staff or user.is_superuser or accounts_used_elsewhere(user_ids=[user.pk], centre=centre):
        return f"{name}'s account is not only this centre's, so only they can change their name or email address. {ask}"
    if not email:
        return ""
    held = active_roles(user=user, centre=centre)
    may_grant = grantable_roles(active_roles(user=changed_by, centre=centre), is_platform_staff=changed_by.is_staff)
    if held - may_grant:
        return f"{name} holds a role you cannot grant, so you cannot change their email address. {ask}"
    return ""


def new_person_problem(*, email: str, centre: Centre) -> str:
    """Why a centre may not create a new person with `email` ("" when it may)."""
    owner_id = email_owner_id(email)
    if owner_id is None:
        return ""
    if Membership.objects.for_centre(centre).filter(user_id=owner_id).exists():
        return EMAIL_IN_USE_HERE_FORM
    return EXISTING_ACCOUNT


@transaction.atomic
def person_create_for_centre(*, centre: Centre, email: str, first_name: str, last_name: str) -> User:
    """A new, unclaimed account that a centre (or register administrator) registers. Never
    an existing one: that person joins by their own action."""
    problem = new_person_problem(email=email, centre=centre)
    if problem:
        raise AccountOwnershipError(problem)
    return user_create(email=email, first_name=first_name, last_name=last_name)


def person_create_self(*, email: str, first_name: str, last_name: str, password: str) -> User:
    """A person creates their own account (self-registration). The caller has checked that
    no account uses the email and must not reveal it when one does."""
    return user_create(email=email, first_name=first_name, last_name=last_name, password=password)


def people_create_for_centre(*, people: list[tuple[str, str, str]]) -> list[User]:
    """Bulk upload: many new unclaimed accounts (email, first name, last name). The caller
    (centres.bulk.validation.validate) has refused every row whose email an account uses."""
    return users_create_unclaimed(people=people)


def _email_change_notify(*, user, old_email: str, new_email: str, changed_by, centre, request) -> None:
    email_send(
        to=[old_email],
        template="centres/emails/email_changed",
        context={"user": user, "old_email": old_email, "new_email": new_email, "by_owner": changed_by == user},
        centre=centre,
    )
    audit_record(
        actor=changed_by,
        centre=centre,
        action="account.email_changed",
        target=user,
        summary=f"Login email of {user.get_full_name()} changed from {old_email} to {new_email}",
        request=request,
    )


def _email_replace(*, user, email: str) -> None:

    owner_id = email_owner_id(email)
    if owner_id is not None and owner_id != user.pk:
        raise DelegateEmailTakenError(
            f"{email} is already used by another account. Each person needs their own email address."
        )
    user.email = email
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)


@transaction.atomic
def account_identity_update(
    *, user, centre: Centre | None, changed_by, first_name: str, last_name: str, email: str | None = None, request=None
) -> list[str]:
    """Change an account's name and (optionally) login email, after the ownership check.
    Returns the labels of what changed. An email change must be confirmed at the next login;
    the old address is told and the change audited."""
    first_name, last_name = first_name.strip(), last_name.strip()
    changed = [
        label
        for label, old, new in (("first name", user.first_name, first_name), ("last name", user.last_name, last_name))
        if old != new
    ]
    new_email = email.strip().lower() if email is not None else user.email.lower()
    email_changes = new_email != user.email.lower()
    if (changed or email_changes) and changed_by is not None and changed_by.pk != user.pk:
        blocker = account_change_blocker(user=user, centre=centre, changed_by=changed_by, email=email_changes)
        if blocker:
            raise (DelegateEmailTakenError if email_changes else AccountOwnershipError)(blocker)
    old_email = user.email
    user.first_name, user.last_name = first_name, last_name
    if email_changes:
        _email_replace(user=user, email=new_email)
        changed.append("email address")
    if changed:
        user.save(update_fields=["first_name", "last_name", "email"])
    if email_changes:
        _email_change_notify(
            user=user, old_email=old_email, new_email=new_email, changed_by=changed_by, centre=centre, request=request
        )
    return changed


def accounts_identity_bulk_update(
    *, centre: Centre, changes: list[tuple[User, dict]], changed_by, request=None, bulk_update
) -> None:
    """Bulk upload's update rows: (user, {"first_name", "last_name", "email"}) for accounts
    the caller has checked are wholly the centre's (`accounts_used_elsewhere`). Checked again
    here, in the committing transaction. `bulk_update(objects, fields)` writes the rows."""

    foreign = accounts_used_elsewhere(user_ids=[user.pk for user, _data in changes], centre=centre)
    if foreign:
        raise AccountOwnershipError("An account in the file is not only this centre's: upload the file again")
    users, fields, old_emails = [], set(), {}
    for user, data in changes:
        touched = False
        for name in ("first_name", "last_name"):
            if getattr(user, name) != data[name]:
                setattr(user, name, data[name])
                fields.add(name)
                touched = True
        if data["email"] and data["email"] != user.email.lower():
            old_emails[user.pk] = user.email
            user.email = data["email"]
            fields.add("email")
            touched = True
        if touched:
            users.append(user)
    if users:
        bulk_update(users, sorted(fields))
    if old_emails:
        EmailAddress.objects.filter(user_id__in=old_emails).delete()
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=False)
            for user in users
            if user.pk in old_emails
        )
        for user in users:
            if user.pk in old_emails:
                _email_change_notify(
                    user=user,
                    old_email=old_emails[user.pk],
                    new_email=user.email,
                    changed_by=changed_by,
                    centre=centre,
                    request=request,
                )


def membership_accept(*, membership: Membership) -> None:
    """The person themselves made or accepted this record (self-registration, their welcome
    link, an invitation they accepted). Only then may other centres' results follow them
    here (P11)."""
    if membership.accepted_at is None:
        membership.accepted_at = timezone.now()
        Membership.objects.filter(pk=membership.pk).update(accepted_at=membership.accepted_at)
