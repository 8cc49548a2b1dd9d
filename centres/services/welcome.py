"""The single-use welcome link (C4): sending one or many, resending, checking and using it."""

import hashlib
import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_password
from centres.audit import audit_record, audit_records
from centres.models import Membership, WelcomeLink
from centres.ownership import membership_accept
from centres.services.errors import CentreServiceError
from notifications.services import email_cancel, email_send, emails_cancel, emails_send

WELCOME_LINK_LIFETIME = timedelta(days=31)  # "expires after one month" (C4)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def welcome_link_send(
    *,
    membership: Membership,
    sent_by: User | None,
    send_after: datetime | None = None,
    signed_up: bool = False,
    joined: str = "",
    request=None,
) -> WelcomeLink:
    """C4. A new single-use "Verify your registration" link (older ones stop working),
    emailed now or on `send_after`. `signed_up`: the person asked for the account themselves
    (R1 register sign-up), so the email does not say an administrator registered them;
    `joined` names what they signed up to (the register), in the subject and the text."""
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
            "joined": joined,
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
