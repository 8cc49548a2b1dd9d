"""Writes for centres, memberships and roles. Each service is atomic and audited."""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from centres.audit import audit_record
from centres.grants import GrantAction, grant_refusal
from centres.models import (
    Centre,
    DelegateNumberCounter,
    JobGroup,
    Membership,
    RegistrationPrompt,
    RegistrationType,
    RoleAssignment,
    SupportTicket,
    SupportTicketReply,
)
from centres.notification_rules import kinds_for_roles
from centres.roles import ROLE_PERMISSIONS, Permission, Role
from centres.selectors import active_roles, contact_email, subscribers, subscribers_at_every_centre
from centres.signals import memberships_created
from notifications.models import NotificationKind, NotificationSubscription, SystemNotice
from notifications.services import email_send


class CentreServiceError(Exception):
    """A business rule refused the change; the message is written for the person."""


CENTRE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
IP_PREFIX_PATTERN = re.compile(r"^[0-9A-Fa-f.:]{1,45}$")


def ip_prefixes_clean(ip_prefixes: list[str]) -> list[str]:
    cleaned = []
    for prefix in ip_prefixes:
        prefix = prefix.strip()
        if not prefix:
            continue
        if not IP_PREFIX_PATTERN.match(prefix):
            raise CentreServiceError(
                f"“{prefix}” is not an IP prefix. Use the start of an address, like 10.12. or 192.168.1."
            )
        cleaned.append(prefix)
    return cleaned


CENTRE_DETAILS = (
    "notify_email",
    "support_details",
    "show_in_directory",
    "is_active",
    "public_telephone",
    "public_email",
    "opening_hours",
    "web_address",
    "areas_covered",
    "training_venues",
)


@transaction.atomic
def centre_create(
    *,
    code: str,
    name: str,
    actor=None,
    ip_prefixes: list[str] | None = None,
    manager_name: str = "",
    email: str = "",
    telephone: str = "",
    postcode: str = "",
    details: dict | None = None,
) -> Centre:
    """C1. `details`: any of CENTRE_DETAILS (notify email, support details, the public
    directory details, whether it is listed or active); the model's defaults otherwise."""
    details = dict(details or {})
    if unknown := set(details) - set(CENTRE_DETAILS):
        raise ValueError(f"Not centre details: {sorted(unknown)}")
    code = code.strip().upper()
    name = name.strip()
    if not CENTRE_CODE_PATTERN.match(code):
        raise CentreServiceError("Enter a centre code of 2 to 20 letters, numbers or hyphens, like LTHT")
    if not name:
        raise CentreServiceError("Enter the centre name")
    if Centre.objects.filter(code__iexact=code).exists():
        raise CentreServiceError(f"A centre with the code {code} already exists")
    centre = Centre.objects.create(
        code=code,
        name=name,
        ip_prefixes=ip_prefixes_clean(ip_prefixes or []),
        **details,
        manager_name=manager_name,
        email=email,
        telephone=telephone,
        postcode=postcode.upper(),
    )
    audit_record(actor=actor, centre=centre, action="centre.created", target=centre, summary=f"Centre {centre} created")
    return centre


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


def object_permissions_sync(*, user, centre: Centre) -> None:
    wanted = set()
    for role in active_roles(user=user, centre=centre):
        wanted |= {permission.codename for permission in ROLE_PERMISSIONS[role]}
    ours = {permission.codename for permission in Permission}
    held = set(get_perms(user, centre)) & ours
    for codename in wanted - held:
        assign_perm(f"centres.{codename}", user, centre)
    for codename in held - wanted:
        remove_perm(f"centres.{codename}", user, centre)


def _check_may_grant(*, granted_by, centre: Centre, role: Role, subject, action=GrantAction.GRANT) -> None:
    refusal = grant_refusal(actor=granted_by, role=role, centre=centre, subject=subject, action=action)
    if refusal:
        raise CentreServiceError(refusal)


@transaction.atomic
def role_grant(*, user, centre: Centre, role: Role, granted_by, request=None) -> RoleAssignment:
    """C8: only approved, active people who have set a password; only roles the granter may
    grant to this person here (`centres.grants.grant_refusal`)."""
    role = Role(role)
    _check_may_grant(granted_by=granted_by, centre=centre, role=role, subject=user)
    if not granted_by.is_staff:
        membership = Membership.objects.for_centre(centre).filter(user=user).first()
        if membership is None or membership.status != "active":
            raise CentreServiceError(f"{user.get_full_name()} must be an approved, active delegate at this centre")
        if not user.has_usable_password():
            raise CentreServiceError(f"{user.get_full_name()} has not set a password yet, so cannot be given a role")
    if RoleAssignment.objects.for_centre(centre).filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise CentreServiceError(f"{user.get_full_name()} is already {role.label.lower()} at this centre")
    assignment = RoleAssignment.objects.create(user=user, centre=centre, role=role, granted_by=granted_by)
    object_permissions_sync(user=user, centre=centre)
    email_send(
        to=[user.email],
        cc=[granted_by.email],
        template="centres/emails/role_granted",
        context={
            "user": user,
            "centre": centre,
            "role": role,
            "granted_by": granted_by,
            "login_url": settings.SITE_URL + "/",
        },
        centre=centre,
    )
    audit_record(
        actor=granted_by,
        centre=centre,
        action="role.granted",
        target=assignment,
        summary=f"{role.label} granted to {user.get_full_name()}"
        + (" by platform staff" if granted_by.is_staff else ""),
        request=request,
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, revoked_by, request=None) -> RoleAssignment:
    role = Role(assignment.role)
    # Two centre managers giving up the role at once must not leave none: queue on the centre row.
    Centre.objects.select_for_update().filter(pk=assignment.centre_id).first()
    RoleAssignment.objects.select_for_update().filter(pk=assignment.pk).first()
    assignment.refresh_from_db(fields=["revoked_at", "revoked_by"])
    _check_may_grant(
        granted_by=revoked_by,
        centre=assignment.centre,
        role=role,
        subject=assignment.user,
        action=GrantAction.REVOKE,
    )
    if assignment.revoked_at is not None:
        raise CentreServiceError("This role has already been revoked")
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = revoked_by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    object_permissions_sync(user=assignment.user, centre=assignment.centre)
    audit_record(
        actor=revoked_by,
        centre=assignment.centre,
        action="role.revoked",
        target=assignment,
        summary=f"{role.label} revoked from {assignment.user.get_full_name()}",
        request=request,
    )
    return assignment


class UnknownAccountError(CentreServiceError):
    """No account uses the email address; shown against the email field."""


@transaction.atomic
def centre_manager_name(*, centre: Centre, email: str, named_by, request=None) -> RoleAssignment:
    """Platform staff make someone (the first) centre manager of a centre. The person must
    already have an account: this never creates, renames or re-emails one (an account
    belongs to its person)."""
    from accounts.models import User

    email = (email or "").strip().lower()
    if not email:
        raise UnknownAccountError("Enter the email address of the person's account")
    if not named_by.is_staff:
        raise CentreServiceError("Only platform staff can name a centre manager here")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise UnknownAccountError(
            f"No active account uses {email}. The person needs an account first: they can register at the "
            "centre (or be registered by it), then you can name them here."
        )
    return role_grant(user=user, centre=centre, role=Role.CENTRE_MANAGER, granted_by=named_by, request=request)


def membership_unlock(*, membership: Membership, unlocked_by, request=None) -> None:
    """C9: a centre manager unlocks the account of someone registered at their centre."""
    from accounts.services import user_unlock

    if not membership.user.is_locked:
        raise CentreServiceError(f"{membership.user.get_full_name()}'s account is not locked")
    user_unlock(
        user=membership.user,
        unlocked_by=unlocked_by,
        request=request,
        reason=f"unlocked by a centre manager at {membership.centre.name}",
        centre=membership.centre,
    )


# -- C11 notification preferences -----------------------------------------------------------


@transaction.atomic
def notification_subscriptions_replace(*, user, centre: Centre, kinds, request=None) -> set[str]:
    """Replace the person's subscriptions at `centre` with `kinds`; only kinds their roles
    there allow. Returns the kinds now subscribed."""
    allowed = {kind.value for kind in kinds_for_roles(active_roles(user=user, centre=centre))}
    wanted = {NotificationKind(kind).value for kind in kinds}
    refused = wanted - allowed
    if refused:
        labels = ", ".join(NotificationKind(kind).label for kind in sorted(refused))
        raise CentreServiceError(f"Your roles at this centre do not include these notifications: {labels}")
    current = set(NotificationSubscription.objects.for_centre(centre).filter(user=user).values_list("kind", flat=True))
    NotificationSubscription.objects.for_centre(centre).filter(user=user).exclude(kind__in=wanted).delete()
    NotificationSubscription.objects.bulk_create(
        [NotificationSubscription(user=user, centre=centre, kind=kind) for kind in sorted(wanted - current)]
    )
    if wanted != current:
        labels = ", ".join(NotificationKind(kind).label for kind in NotificationKind.values if kind in wanted)
        audit_record(
            actor=user,
            centre=centre,
            action="notifications.preferences_changed",
            target=user,
            summary=f"{user.get_full_name()} now receives: {labels or 'no notifications'}",
            request=request,
        )
    return wanted


# -- C7 my account --------------------------------------------------------------------------

PRN_PATTERN = re.compile(r"^[A-Za-z0-9-]{5,20}$")
NAME_MAX_LENGTH = 250


def prn_problem(*, has_prn: bool | None, prn: str) -> str | None:
    """C2/C7/U3: a PRN is 5 to 20 letters, numbers or hyphens; required when the person has
    one, forbidden when they do not."""
    if has_prn is None:
        return "Select whether you have a professional registration number"
    if has_prn and not prn:
        return "Enter your professional registration number"
    if not has_prn and prn:
        return "Remove the professional registration number, or select Yes"
    if prn and not PRN_PATTERN.match(prn):
        return "Professional registration number must be 5 to 20 letters, numbers or hyphens"
    return None


def prompt_answer_problem(*, prompt: RegistrationPrompt, answer: str) -> str | None:
    if not answer:
        return f"Answer “{prompt.text}”" if prompt.is_mandatory else None
    if len(answer) > RegistrationPrompt.MAX_OPTION_LENGTH:
        return f"Answer to “{prompt.text}” must be {RegistrationPrompt.MAX_OPTION_LENGTH} characters or fewer"
    if prompt.options and answer not in prompt.options:
        return f"Select one of the answers listed for “{prompt.text}”"
    return None


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
    from centres.ownership import account_identity_update

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


# -- C13 support tickets --------------------------------------------------------------------

SUPPORT_TEXT_MAX_LENGTH = 5000


def _support_text(body: str, *, what: str) -> str:
    body = body.strip()
    if not body:
        raise CentreServiceError(f"Enter {what}")
    if len(body) > SUPPORT_TEXT_MAX_LENGTH:
        raise CentreServiceError(f"{what.capitalize()} must be {SUPPORT_TEXT_MAX_LENGTH} characters or fewer")
    return body


def _email_platform_support(*, ticket: SupportTicket, template: str, reply: SupportTicketReply | None = None):
    address = settings.PLATFORM_SUPPORT_EMAIL
    if not address:
        return
    email_send(
        to=[address],
        template=template,
        context={
            "ticket": ticket,
            "reply": reply,
            "centre": ticket.centre,
            "ticket_url": settings.SITE_URL
            + reverse("platform:support_ticket", kwargs={"ticket_id": ticket.public_id}),
        },
        centre=ticket.centre,
    )


@transaction.atomic
def support_ticket_raise(
    *, centre: Centre, raised_by, subject: str, detail: str, category: str, request=None
) -> SupportTicket:
    """C13: a centre manager or administrator asks the platform team for help; the platform
    support address is emailed."""
    subject = subject.strip()
    if not subject:
        raise CentreServiceError("Enter a subject")
    if len(subject) > SupportTicket._meta.get_field("subject").max_length:
        raise CentreServiceError("Subject must be 200 characters or fewer")
    detail = _support_text(detail, what="the details of your problem")
    if category not in SupportTicket.Category.values:
        raise CentreServiceError("Select what your question is about")
    ticket = SupportTicket.objects.create(
        centre=centre, raised_by=raised_by, subject=subject, detail=detail, category=category
    )
    audit_record(
        actor=raised_by,
        centre=centre,
        action="support.ticket_raised",
        target=ticket,
        summary=f"Support ticket raised: {subject}",
        request=request,
    )
    _email_platform_support(ticket=ticket, template="centres/emails/support_ticket_raised")
    return ticket


@transaction.atomic
def support_ticket_reply_from_centre(*, ticket: SupportTicket, author, body: str, request=None) -> SupportTicketReply:
    """Someone at the ticket's centre adds to it: it opens again for the platform team."""
    body = _support_text(body, what="your reply")
    reply = SupportTicketReply.objects.create(
        centre=ticket.centre, ticket=ticket, author=author, from_platform_team=False, body=body
    )
    ticket.status = SupportTicket.Status.OPEN
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=author,
        centre=ticket.centre,
        action="support.ticket_replied",
        target=ticket,
        summary=f"Reply added to support ticket: {ticket.subject}",
        request=request,
    )
    _email_platform_support(ticket=ticket, reply=reply, template="centres/emails/support_ticket_centre_reply")
    return reply


@transaction.atomic
def support_ticket_answer(*, ticket: SupportTicket, author, body: str, request=None) -> SupportTicketReply:
    """C13: platform staff answer. The ticket becomes "answered"; the person who raised it
    and everyone at the centre subscribed to support ticket alerts are emailed (one each)."""
    if not author.is_staff:
        raise CentreServiceError("Only the platform team can answer support tickets")
    body = _support_text(body, what="your answer")
    reply = SupportTicketReply.objects.create(
        centre=ticket.centre, ticket=ticket, author=author, from_platform_team=True, body=body
    )
    ticket.status = SupportTicket.Status.ANSWERED
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=author,
        centre=ticket.centre,
        action="support.ticket_answered",
        target=ticket,
        summary=f"Platform team answered support ticket: {ticket.subject}",
        request=request,
    )
    recipients = {contact_email(user=ticket.raised_by, centre=ticket.centre)} if ticket.raised_by.is_active else set()
    recipients |= set(subscribers(ticket.centre, NotificationKind.SUPPORT_TICKET))
    for address in sorted(recipients):
        email_send(
            to=[address],
            template="centres/emails/support_ticket_answered",
            context={
                "ticket": ticket,
                "reply": reply,
                "centre": ticket.centre,
                "ticket_url": settings.SITE_URL
                + reverse("centres:support_ticket", kwargs={"ticket_id": ticket.public_id}),
            },
            centre=ticket.centre,
        )
    return reply


@transaction.atomic
def support_ticket_close(*, ticket: SupportTicket, closed_by, request=None) -> SupportTicket:
    if not closed_by.is_staff:
        raise CentreServiceError("Only the platform team can close support tickets")
    if ticket.status == SupportTicket.Status.CLOSED:
        raise CentreServiceError("This ticket is already closed")
    ticket.status = SupportTicket.Status.CLOSED
    ticket.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=closed_by,
        centre=ticket.centre,
        action="support.ticket_closed",
        target=ticket,
        summary=f"Support ticket closed: {ticket.subject}",
        request=request,
    )
    return ticket


# -- C14 system notices ---------------------------------------------------------------------

NOTICE_BODY_MAX_LENGTH = 5000


def _notice_email_all(notice: SystemNotice) -> int:
    addresses = subscribers_at_every_centre(NotificationKind.SYSTEM_NOTICE)
    for address in addresses:
        email_send(to=[address], template="centres/emails/system_notice", context={"notice": notice})
    return len(addresses)


@transaction.atomic
def system_notice_create(
    *, title: str, body: str, created_by, publish: bool, expires_at: datetime | None = None, request=None
) -> SystemNotice:
    """C14: platform staff write a notice, published now (every subscriber is emailed, one
    email each, in this transaction) or kept as a draft."""
    if not created_by.is_staff:
        raise CentreServiceError("Only the platform team can post system notices")
    title, body = title.strip(), body.strip()
    if not title:
        raise CentreServiceError("Enter a title")
    if len(title) > SystemNotice._meta.get_field("title").max_length:
        raise CentreServiceError("Title must be 200 characters or fewer")
    if not body:
        raise CentreServiceError("Enter the notice")
    if len(body) > NOTICE_BODY_MAX_LENGTH:
        raise CentreServiceError(f"The notice must be {NOTICE_BODY_MAX_LENGTH} characters or fewer")
    if expires_at is not None and expires_at <= timezone.now():
        raise CentreServiceError("The last day to show the notice must be today or in the future")
    notice = SystemNotice.objects.create(title=title, body=body, created_by=created_by, expires_at=expires_at)
    audit_record(
        actor=created_by,
        action="notice.created",
        target=notice,
        summary=f"System notice drafted: {title}",
        request=request,
    )
    # How many subscribers were emailed, for the confirmation message (0 for a draft).
    notice.emailed_count = 0
    if publish:
        notice.emailed_count = system_notice_publish(notice=notice, published_by=created_by, request=request)
    return notice


@transaction.atomic
def system_notice_publish(*, notice: SystemNotice, published_by, request=None) -> int:
    """Publish a draft: it shows on dashboards and each subscriber is emailed once. Returns
    how many emails were written to the outbox."""
    if not published_by.is_staff:
        raise CentreServiceError("Only the platform team can publish system notices")
    notice = SystemNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.published_at is not None:
        raise CentreServiceError("This notice has already been published")
    if notice.expires_at is not None and notice.expires_at <= timezone.now():
        raise CentreServiceError("This notice has expired, so it cannot be published")
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    sent = _notice_email_all(notice)
    audit_record(
        actor=published_by,
        action="notice.published",
        target=notice,
        summary=f"System notice published: {notice.title} (emailed to {sent} subscriber{'s' if sent != 1 else ''})",
        request=request,
    )
    return sent


@transaction.atomic
def system_notice_withdraw(*, notice: SystemNotice, withdrawn_by, request=None) -> SystemNotice:
    """Stop showing a published notice now (it stays in the list as expired)."""
    if not withdrawn_by.is_staff:
        raise CentreServiceError("Only the platform team can withdraw system notices")
    now = timezone.now()
    if notice.published_at is None or (notice.expires_at is not None and notice.expires_at <= now):
        raise CentreServiceError("This notice is not showing, so there is nothing to withdraw")
    notice.expires_at = now
    notice.save(update_fields=["expires_at"])
    audit_record(
        actor=withdrawn_by,
        action="notice.withdrawn",
        target=notice,
        summary=f"System notice withdrawn: {notice.title}",
        request=request,
    )
    return notice


# -- Delegates (C7) --------------------------------------------------------------------------


class DelegateEmailTakenError(CentreServiceError):
    """The email address cannot be changed to this one (another account uses it, or the
    account is not the centre's to redirect); shown against the email field."""


def _check_answers(*, centre: Centre, answers: dict[int, str]) -> dict[int, str]:
    cleaned = {}
    for prompt in RegistrationPrompt.objects.for_centre(centre):
        answer = (answers.get(prompt.position) or "").strip()
        problem = prompt_answer_problem(prompt=prompt, answer=answer)
        if problem:
            raise CentreServiceError(problem)
        cleaned[prompt.position] = answer
    return cleaned


def _check_prn(*, has_prn: bool | None, prn: str) -> str:
    prn = prn.strip()
    problem = prn_problem(has_prn=bool(has_prn), prn=prn)
    if problem:
        raise CentreServiceError(problem)
    return prn


def delegate_email_change_blocker(*, membership: Membership, changed_by) -> str:
    """Why `changed_by` may not change this person's login email ("" when they may): the
    account-ownership rule in centres.ownership."""
    from centres.ownership import account_change_blocker

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
    answers = _check_answers(centre=membership.centre, answers=answers)
    prn = _check_prn(has_prn=has_prn, prn=prn)

    from centres.ownership import account_identity_update

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
    labels = {"centre_email": "centre email", "job_group": "job group", "has_prn": "PRN", "prn": "PRN"}
    for name, value in values.items():
        if getattr(membership, name) != value:
            label = labels.get(name) or f"answer {name[-1]}"
            if label not in changed:
                changed.append(label)
            setattr(membership, name, value)
    membership.save()
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
    from centres.selectors import delegate_deletion_blocker

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
