"""Services for joining a centre (C2 to C5): self-registration with IP-prefix approval,
approval and rejection, registration by a centre and the single-use welcome link."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.net import client_ip
from accounts.services import user_set_password
from centres.audit import audit_record, audit_records
from centres.invitations import invitation_accept
from centres.models import Centre, JobGroup, Membership, RegistrationType, WelcomeLink
from centres.ownership import email_owner_id, membership_accept, person_create_for_centre, person_create_self
from centres.selectors import subscribers
from centres.services import CentreServiceError, membership_create
from notifications.models import NotificationKind
from notifications.services import email_cancel, email_send, emails_cancel, emails_send
from submissions.races import unique_race_retried

WELCOME_LINK_LIFETIME = timedelta(days=31)  # "expires after one month" (C4)


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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def welcome_link_send(
    *,
    membership: Membership,
    sent_by: User | None,
    send_after: datetime | None = None,
    signed_up: bool = False,
    request=None,
) -> WelcomeLink:
    """C4. A new single-use "Verify your registration" link (older ones stop working),
    emailed now or on `send_after`. `signed_up`: the person asked for the account themselves
    (R1 register sign-up), so the email does not say an administrator registered them."""
    if membership.user.has_usable_password():
        raise CentreServiceError(f"{membership.user.get_full_name()} has already set a password")
    now = timezone.now()
    replaced = membership.welcome_links.filter(used_at__isnull=True)
    # A scheduled email of an older link would go out with a dead link (finding 9): cancel it.
    for email_id in replaced.filter(outbound_email__isnull=False).values_list("outbound_email_id", flat=True):
        email_cancel(email_id=email_id)
    replaced.filter(expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    starts = max(send_after or now, now)
    link = WelcomeLink.objects.create(
        centre=membership.centre,
        membership=membership,
        token_hash=_token_hash(token),
        created_by=sent_by,
        send_after=send_after,
        expires_at=starts + WELCOME_LINK_LIFETIME,
    )
    link.outbound_email = email_send(
        to=[membership.user.email],
        template="centres/emails/welcome",
        context={
            "membership": membership,
            "centre": membership.centre,
            "user": membership.user,
            "welcome_url": settings.SITE_URL + reverse("welcome", kwargs={"token": token}),
            "signed_up": signed_up,
        },
        centre=membership.centre,
        send_after=send_after,
    )
    link.save(update_fields=["outbound_email"])
    membership.welcome_email_sent_at = starts
    membership.save(update_fields=["welcome_email_sent_at", "updated_at"])
    audit_record(
        actor=sent_by,
        centre=membership.centre,
        action="welcome.sent" if send_after is None else "welcome.scheduled",
        target=membership,
        summary=f"Welcome email for {membership.delegate_number}"
        + (f" scheduled for {send_after:%d %B %Y}" if send_after else ""),
        request=request,
    )
    return link


@transaction.atomic
def welcome_links_send_many(
    *, memberships: list[Membership], sent_by: User | None, send_after: datetime | None = None, request=None
) -> int:
    """`welcome_link_send` for many delegates of one centre at once, set-based: people who
    already set a password are skipped; older unused links are expired, the links, outbox rows
    and audit events are inserted in bulk and the delegates marked in one update, so the number
    of queries does not grow with the number of delegates (bulk upload sent 1,000 welcome
    emails with 7 queries each). Returns how many were sent."""
    chosen = [m for m in memberships if not m.user.has_usable_password()]
    if not chosen:
        return 0
    centre = chosen[0].centre
    if any(m.centre_id != centre.pk for m in chosen):
        raise CentreServiceError("Welcome emails are sent for one centre at a time")
    now = timezone.now()
    starts = max(send_after or now, now)
    ids = [m.pk for m in chosen]
    replaced = WelcomeLink.objects.for_centre(centre).filter(membership_id__in=ids, used_at__isnull=True)
    # A scheduled email of an older link would go out with a dead link (issue 11 finding 9).
    emails_cancel(email_ids=replaced.filter(outbound_email__isnull=False).values_list("outbound_email_id", flat=True))
    replaced.filter(expires_at__gt=now).update(expires_at=now)
    tokens = [secrets.token_urlsafe(32) for _ in chosen]
    links = WelcomeLink.objects.bulk_create(
        [
            WelcomeLink(
                centre=centre,
                membership=membership,
                token_hash=_token_hash(token),
                created_by=sent_by,
                send_after=send_after,
                expires_at=starts + WELCOME_LINK_LIFETIME,
            )
            for membership, token in zip(chosen, tokens, strict=True)
        ],
        batch_size=1000,
    )
    emails = emails_send(
        template="centres/emails/welcome",
        messages=[
            (
                [membership.user.email],
                {
                    "membership": membership,
                    "centre": centre,
                    "user": membership.user,
                    "welcome_url": settings.SITE_URL + reverse("welcome", kwargs={"token": token}),
                    "signed_up": False,
                },
            )
            for membership, token in zip(chosen, tokens, strict=True)
        ],
        centre=centre,
        send_after=send_after,
    )
    for link, email in zip(links, emails, strict=True):
        link.outbound_email = email  # so a later resend can cancel it while it is scheduled
    WelcomeLink.objects.bulk_update(links, ["outbound_email"], batch_size=1000)
    Membership.objects.for_centre(centre).filter(pk__in=ids).update(welcome_email_sent_at=starts, updated_at=now)
    for membership in chosen:
        membership.welcome_email_sent_at = starts
    audit_records(
        actor=sent_by,
        centre=centre,
        action="welcome.sent" if send_after is None else "welcome.scheduled",
        targets=[
            (
                membership,
                f"Welcome email for {membership.delegate_number}"
                + (f" scheduled for {send_after:%d %B %Y}" if send_after else ""),
            )
            for membership in chosen
        ],
        request=request,
    )
    return len(chosen)


@transaction.atomic
def welcome_links_send(*, memberships, sent_by: User, request=None) -> int:
    """C4 bulk resend: a new welcome link to each of `memberships` (people without a
    password), all or none, set-based. Returns how many were sent."""
    return welcome_links_send_many(
        memberships=list(memberships.select_related("user", "centre")), sent_by=sent_by, request=request
    )


@transaction.atomic
def welcome_link_resend(*, link: WelcomeLink, request=None) -> WelcomeLink:
    """The person asks for a new link from an expired one ("Send me a new link"). Only the
    newest link may ask, once: a second post from the same old link sends nothing (finding 9;
    the page is also rate-limited per address)."""
    membership = Membership.objects.select_for_update().get(pk=link.membership_id)
    if membership.welcome_links.filter(created_at__gt=link.created_at).exists():
        raise CentreServiceError("A new link has already been sent")
    return welcome_link_send(membership=membership, sent_by=None, request=request)


def welcome_link_find(*, token: str) -> WelcomeLink | None:
    return (
        WelcomeLink.objects.select_related("membership__user", "centre").filter(token_hash=_token_hash(token)).first()
    )


def welcome_link_state(link: WelcomeLink | None) -> str:
    """One of: valid, used, expired, unknown."""
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= timezone.now():
        return "expired"
    return "valid"


@transaction.atomic
def welcome_link_use(*, token: str, password: str, request=None) -> Membership:
    """Set the password from a valid link; the link then never works again."""
    link = WelcomeLink.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    state = welcome_link_state(link)
    if state != "valid":
        raise CentreServiceError(f"This link is {state}")
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    user = link.membership.user
    user_set_password(user=user, password=password, request=request)
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    membership_accept(membership=link.membership)
    audit_record(
        actor=user,
        centre=link.centre,
        action="welcome.used",
        target=link.membership,
        summary=f"{user.get_full_name()} set a password from the welcome link",
        request=request,
    )
    return link.membership


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
