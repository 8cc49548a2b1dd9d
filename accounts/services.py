"""Writes to accounts: login failures, locking and unlocking (C9)."""

from allauth.account.internal.flows.password_reset import request_password_reset
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.signals import account_locked, account_unlocked, second_factor_reset


@transaction.atomic
def user_record_failed_login(*, user: User, request=None) -> bool:
    """Count a wrong password; lock the account at the limit. Returns True if now locked."""
    User.objects.filter(pk=user.pk).update(failed_login_attempts=F("failed_login_attempts") + 1)
    user.refresh_from_db(fields=["failed_login_attempts", "locked_at"])
    if user.locked_at is None and user.failed_login_attempts >= settings.ACCOUNT_LOCKOUT_ATTEMPTS:
        user.locked_at = timezone.now()
        user.save(update_fields=["locked_at"])
        account_locked.send(
            sender=User,
            user=user,
            request=request,
            reason=f"{user.failed_login_attempts} wrong passwords",
        )
    return user.locked_at is not None


def user_record_successful_login(*, user: User) -> None:
    if user.failed_login_attempts:
        User.objects.filter(pk=user.pk).update(failed_login_attempts=0)


@transaction.atomic
def user_unlock(*, user: User, unlocked_by: User | None = None, request=None, reason: str, centre=None) -> None:
    """Clear the lock and the failure count (a password reset, or a centre manager at `centre`)."""
    was_locked = user.locked_at is not None
    User.objects.filter(pk=user.pk).update(failed_login_attempts=0, locked_at=None)
    user.failed_login_attempts = 0
    user.locked_at = None
    if was_locked:
        account_unlocked.send(
            sender=User, user=user, request=request, reason=reason, unlocked_by=unlocked_by, centre=centre
        )


@transaction.atomic
def user_second_factor_reset(*, user: User, reset_by: User, request=None, reason: str, centre=None) -> int:
    """Recovery (ADR 0018): delete the person's authenticators (app and recovery codes) so the
    next login asks them to set one up again. Callers check who may; returns how many went."""
    deleted, _ = Authenticator.objects.filter(user=user).delete()
    if deleted:
        second_factor_reset.send(
            sender=User, user=user, reset_by=reset_by, request=request, reason=reason, centre=centre
        )
    return deleted


@transaction.atomic
def user_set_password(*, user: User, password: str, request=None) -> None:
    """Setting a new password (reset link, change, welcome link) also unlocks the account."""
    user.set_password(password)
    user.save(update_fields=["password"])
    user_unlock(user=user, request=request, reason="password reset")


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    email_verified: bool = False,
    is_staff: bool = False,
) -> User:
    """A person with a login. Without a password the account is unclaimed (C4's welcome
    link sets one later)."""
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip(), is_staff=is_staff
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


def users_create_unclaimed(*, people: list[tuple[str, str, str]]) -> list[User]:
    """`user_create` without a password for many people at once (U2 bulk upload): the same
    rules (lower-case email, trimmed names, an unverified primary address) in two bulk
    inserts. `people` holds (email, first name, last name)."""
    users = []
    for email, first_name, last_name in people:
        user = User(
            email=User.objects.normalize_email(email).strip().lower(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in users), batch_size=1000
    )
    return users


def user_password_reset_link_send(*, user: User, request) -> None:
    """Send the person a password reset link at their own address (allauth's reset email,
    through the outbox). Platform staff use this instead of setting a password: nobody but
    the owner ever knows an account's password (issue 11, finding 4)."""
    request_password_reset(request, user.email, [user], None)


@transaction.atomic
def user_nhsmail_claim(*, user: User, email: str, request=None) -> None:
    """The first NHSmail sign-in to an account found by its address (accounts.nhsmail_adapter):
    NHSmail has proved the mailbox, so the address counts as confirmed, and an account a centre
    created without a password is now its person's. A password set while the address was never
    confirmed may be someone else's, so it is removed first (allauth's own rule for signing in
    by email; the person can set a new one with "Forgotten your password?")."""
    email = email.strip().lower()
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if (address is None or not address.verified) and user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if address is None:
        EmailAddress.objects.create(user=user, email=email, primary=user.email.lower() == email, verified=True)
    elif not address.verified:
        EmailAddress.objects.filter(pk=address.pk).update(verified=True)
