"""Joining a centre (C2, C3, C5): self-registration with IP-prefix approval, approval and
rejection, and registration by a centre."""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.net import client_ip
from centres.audit import audit_record
from centres.invitations import invitation_accept
from centres.models import Centre, JobGroup, Membership, RegistrationType
from centres.ownership import email_owner_id, person_create_for_centre, person_create_self
from centres.selectors.notifications import subscribers
from centres.services.errors import CentreServiceError
from centres.services.memberships import membership_create
from centres.services.welcome import welcome_link_send
from notifications.models import NotificationKind
from notifications.services import email_send
from submissions.races import unique_race_retried


@dataclass(frozen=True)
class DelegateDetails:
    """What registration asks for at a centre, beyond the person's login."""

    job_group: JobGroup | None
    answers: dict[str, str]  # {"answer1": "...", ...}
    has_prn: bool | None
    prn: str
    centre_email: str = ""


def _apply_details(membership: Membership, details: DelegateDetails) -> None:
    membership.job_group = details.job_group
    for field, value in details.answers.items():
        setattr(membership, field, value)
    membership.has_prn = details.has_prn
    membership.prn = details.prn if details.has_prn else ""
    membership.centre_email = details.centre_email
    membership.save()


def address_is_trusted(*, centre: Centre, request) -> bool:
    """C2: a registration from an address starting with one of the centre's prefixes is
    approved at once (X-Forwarded-For only from TRUSTED_PROXIES, see accounts.net)."""
    address = client_ip(request) or ""
    return bool(address) and any(address.startswith(prefix) for prefix in centre.ip_prefixes)


def approval_recipients(*, centre: Centre) -> list[str]:
    """The centre's notify address and every person subscribed to "registration requires
    approval" who still may approve registrations there."""
    emails = set(subscribers(centre, NotificationKind.REGISTRATION_APPROVAL))
    if centre.notify_email:
        emails.add(centre.notify_email.lower())
    return sorted(emails)


@unique_race_retried
@transaction.atomic
def self_registration_create(
    *,
    centre: Centre,
    details: DelegateDetails,
    request,
    user: User | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> Membership | None:
    """C2. A visitor (new user) or a logged-in person registers at `centre`.

    A visitor whose email an account already uses gets the same answer as a new person
    (finding 7: the page must not reveal accounts); only the address's owner is emailed, to
    log in and register. Returns None then (nothing is written)."""
    if not centre.is_active:
        raise CentreServiceError("This centre is not taking registrations")
    new_account = user is None
    if new_account:
        if email_owner_id(email) is not None:
            make_password(password)  # the same work as for a new account
            email_send(
                to=[email.strip().lower()],
                template="centres/emails/registration_existing_account",
                context={
                    "centre": centre,
                    "login_url": settings.SITE_URL + reverse("account_login"),
                    "register_url": settings.SITE_URL + reverse("register", kwargs={"code": centre.code}),
                    "reset_url": settings.SITE_URL + reverse("account_reset_password"),
                },
                centre=centre,
            )
            audit_record(
                actor=None,
                centre=centre,
                action="registration.existing_account",
                summary="Registration with an email an account already uses: the owner was emailed",
                request=request,
            )
            return None
        user = person_create_self(email=email, first_name=first_name, last_name=last_name, password=password)
    # Approved at once from a trusted address, or when someone at the centre invited this
    # email (C2); either way an open invitation is accepted now.
    invited = invitation_accept(centre=centre, email=user.email)
    approved = address_is_trusted(centre=centre, request=request) or invited
    membership = membership_create(
        user=user,
        centre=centre,
        registration_type=RegistrationType.SELF,
        is_approved=approved,
        actor=user,
        request=request,
    )
    if approved:
        membership.approved_at = timezone.now()
    membership.accepted_at = timezone.now()  # the person made it themselves
    _apply_details(membership, details)
    if new_account:
        EmailAddress.objects.get(user=user, email=user.email).send_confirmation(request, signup=True)
    context = {"membership": membership, "centre": centre, "user": user}
    if not approved:
        recipients = approval_recipients(centre=centre)
        if recipients:
            email_send(
                to=recipients,
                template="centres/emails/registration_needs_approval",
                context={**context, "approvals_url": settings.SITE_URL + reverse("centres:registrations")},
                centre=centre,
            )
    return membership


@transaction.atomic
def registration_approve(*, membership: Membership, approved_by: User, request=None) -> Membership:
    """C3. Approve one pending registration; the delegate is emailed."""
    if membership.is_approved:
        raise CentreServiceError(f"{membership.user.get_full_name()} is already approved")
    membership.is_approved = True
    membership.approved_at = timezone.now()
    membership.save(update_fields=["is_approved", "approved_at", "updated_at"])
    audit_record(
        actor=approved_by,
        centre=membership.centre,
        action="registration.approved",
        target=membership,
        summary=f"Approved {membership.user.get_full_name()} ({membership.delegate_number})",
        request=request,
    )
    email_send(
        to=[membership.user.email],
        template="centres/emails/registration_approved",
        context={
            "membership": membership,
            "centre": membership.centre,
            "login_url": settings.SITE_URL + "/accounts/login/",
        },
        centre=membership.centre,
    )
    return membership


@transaction.atomic
def registration_reject(*, membership: Membership, rejected_by: User, reason: str, request=None) -> None:
    """C3. Reject a pending registration with a reason. The unused delegate record is
    removed (the audit trail keeps who, when and why); the person's login stays if they
    have other centres, otherwise it is deactivated."""
    if membership.is_approved:
        raise CentreServiceError("Only registrations awaiting approval can be rejected")
    reason = reason.strip()
    if not reason:
        raise CentreServiceError("Enter the reason for rejecting this registration")
    user, centre = membership.user, membership.centre
    audit_record(
        actor=rejected_by,
        centre=centre,
        action="registration.rejected",
        target=membership,
        summary=f"Rejected {user.get_full_name()} ({membership.delegate_number}): {reason}",
        request=request,
    )
    email_send(
        to=[user.email],
        template="centres/emails/registration_rejected",
        context={"user": user, "centre": centre, "reason": reason},
        centre=centre,
    )
    membership.delete()
    if not user.memberships.exists() and not user.role_assignments.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


@unique_race_retried
@transaction.atomic
def delegate_register_by_centre(
    *,
    centre: Centre,
    registered_by: User,
    email: str,
    first_name: str,
    last_name: str,
    details: DelegateDetails,
    welcome: str,  # "now", "later" (on welcome_date) or "none"
    welcome_date: datetime | None = None,
    request=None,
) -> Membership:
    """C4. An administrator registers one delegate (no password): approved at once; the
    welcome email goes now, on a date, or not yet. Only a new account: an email an account
    already uses is refused (centres.ownership), wherever that account is."""
    user = person_create_for_centre(centre=centre, email=email, first_name=first_name, last_name=last_name)
    membership = membership_create(
        user=user,
        centre=centre,
        registration_type=RegistrationType.CENTRE,
        is_approved=True,
        actor=registered_by,
        request=request,
    )
    membership.approved_at = timezone.now()
    _apply_details(membership, details)
    if welcome == "now":
        welcome_link_send(membership=membership, sent_by=registered_by, request=request)
    elif welcome == "later":
        welcome_link_send(membership=membership, sent_by=registered_by, send_after=welcome_date, request=request)
    return membership
