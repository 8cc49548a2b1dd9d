"""Writes for the register's administration: users and their roles (R2), the referral form
and extra questions (R3), notifications (R4), the audit export (R11). Each is atomic and
audited (`register.*`).

Register roles are ordinary `RoleAssignment`s at the person's own organisation. A DSR
administrator may grant them at ANY organisation of their register that they are permitted
to act on, not only at their own centre. Every grant, revoke and change of limits here asks
the one grant rule (`centres.grants.grant_refusal`, whose register part is
`referrals.grants`) before anything is written: nobody changes their own access, and a
limited administrator cannot demote, remove or limit one who sees every organisation.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from centres.audit import audit_record
from centres.grants import GrantAction, grant_refusal
from centres.models import Centre, Membership, RegistrationType, RoleAssignment
from centres.ownership import AccountOwnershipError, email_owner_id, person_create_for_centre
from centres.roles import Role

# The one way to bring a person's object permissions in line with their roles; private to
# centres.services but shared on purpose, so guardian permissions are set in one place.
from centres.services.memberships import membership_create
from centres.services.roles import object_permissions_sync
from centres.services.welcome import welcome_link_send
from notifications.services import email_send
from referrals.access import RegisterAccess, register_access_narrowed, register_report_access
from referrals.models import AccessLimit, ExtraQuestion, Register
from referrals.selectors.administration import REGISTER_ROLES, RegisterUser, register_administrator_count
from submissions.races import unique_race_retried


class AdministrationError(Exception):
    """A rule refused the change; the message is written for the person."""


REGISTER_EXISTING_ACCOUNT = (
    "This email address belongs to an existing account. Ask the person to join themselves (from the "
    "register's join page, or by registering at the organisation while logged in), then add them here."
)


# -- roles ------------------------------------------------------------------------------------


def _check_grant(*, actor, role: Role, organisation: Centre, subject, action=GrantAction.GRANT, limited_to=None):
    refusal = grant_refusal(
        actor=actor, role=role, centre=organisation, subject=subject, action=action, limited_to=limited_to
    )
    if refusal:
        raise AdministrationError(refusal)


def register_role_grant(
    *, user, organisation: Centre, role: Role, granted_by=None, limited_to=None, request=None
) -> RoleAssignment:
    """Grant a register role, if the one grant rule lets `granted_by` (None: the sign-up's
    allow-listed domain, a system grant of the referrer role) give it, limited to
    `limited_to` (None: every organisation)."""
    role = Role(role)
    if role not in REGISTER_ROLES:
        raise AdministrationError("Only register roles can be given here")
    _check_grant(actor=granted_by, role=role, organisation=organisation, subject=user, limited_to=limited_to)
    existing = RoleAssignment.objects.for_centre(organisation).filter(user=user, role=role, revoked_at__isnull=True)
    if existing.exists():
        return existing.get()
    assignment = RoleAssignment.objects.create(user=user, centre=organisation, role=role, granted_by=granted_by)
    object_permissions_sync(user=user, centre=organisation)
    audit_record(
        actor=granted_by,
        centre=organisation,
        action="role.granted",
        target=assignment,
        summary=f"{role.label} granted to {user.get_full_name()}" + ("" if granted_by else " (register sign-up)"),
        request=request,
    )
    return assignment


def _register_role_revoke(*, assignment: RoleAssignment, revoked_by, request=None) -> None:
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = revoked_by
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    object_permissions_sync(user=assignment.user, centre=assignment.centre)
    audit_record(
        actor=revoked_by,
        centre=assignment.centre,
        action="role.revoked",
        target=assignment,
        summary=f"{Role(assignment.role).label} revoked from {assignment.user.get_full_name()}",
        request=request,
    )


def _check_administers(access: RegisterAccess, organisation: Centre) -> None:
    if not access.can_administer:
        raise AdministrationError("Only the register's administrators can do this")
    if organisation.pk not in access.organisation_ids:
        raise AdministrationError(f"You cannot manage people at {organisation.name}")


def _is_limited(access: RegisterAccess) -> bool:
    return len(access.organisations) < access.register.organisations.count()


def _limits_check(*, access: RegisterAccess, role: Role, limited_to: list[Centre]) -> list[Centre]:
    """R2 limits are for reporting users and administrators; a limited administrator can only
    give access to (some of) their own organisations."""
    if role == Role.REFERRER:
        return []  # a referrer sees only the referrals they made
    for organisation in limited_to:
        if organisation.pk not in access.organisation_ids:
            raise AdministrationError(f"You cannot give access to {organisation.name}")
    if not limited_to and _is_limited(access):
        raise AdministrationError(
            "You can only see some organisations, so limit this person to one or more of them too"
        )
    return limited_to


def _limits_replace(*, access: RegisterAccess, user, limited_to: list[Centre]) -> None:
    wanted = {organisation.pk for organisation in limited_to}
    AccessLimit.objects.filter(register=access.register, user=user).exclude(centre__in=wanted).delete()
    held = set(AccessLimit.objects.filter(register=access.register, user=user).values_list("centre_id", flat=True))
    AccessLimit.objects.bulk_create(
        AccessLimit(register=access.register, user=user, centre_id=pk, granted_by=access.user) for pk in wanted - held
    )


def _limits_text(limited_to: list[Centre]) -> str:
    return "every organisation" if not limited_to else ", ".join(sorted(o.name for o in limited_to))


def _check_keeps_an_administrator(*, access: RegisterAccess, person: RegisterUser, removing_admin: bool) -> None:
    if not removing_admin or person.role != Role.DSR_ADMIN:
        return
    # Two administrators demoting each other at once must not leave none: queue on the register row.
    Register.objects.select_for_update().filter(pk=access.register.pk).first()
    if register_administrator_count(register=access.register) <= 1:
        if person.user.pk == access.user.pk:
            raise AdministrationError(
                "You are the register's only administrator, so you cannot remove your administrator role. "
                "Make someone else an administrator first."
            )
        raise AdministrationError(f"{person.user.get_full_name()} is the register's only administrator")


@unique_race_retried
@transaction.atomic
def register_user_add(
    *,
    access: RegisterAccess,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Centre,
    role: Role,
    limited_to: list[Centre] = (),
    request=None,
) -> User:
    """R2: give someone a register role at `organisation`, creating their account and their
    record there if needed. New people get a set-password link (never a password)."""
    role = Role(role)
    _check_administers(access, organisation)
    limited_to = _limits_check(access=access, role=role, limited_to=list(limited_to))
    email = email.strip().lower()
    owner_id = email_owner_id(email)
    user = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
    membership = Membership.objects.for_centre(organisation).filter(user=user).first() if user is not None else None
    if (
        user is not None
        and RoleAssignment.objects.filter(
            user=user,
            centre__register_organisation__register=access.register,
            role__in=[r.value for r in REGISTER_ROLES],
            revoked_at__isnull=True,
        ).exists()
    ):
        raise AdministrationError(f"{email} is already a user of this register. Change their role on their page.")
    if user is not None and (user.is_staff or user.is_superuser or membership is None):
        # An existing account joins only through its owner (centres.ownership); the message
        # does not say where it is used (platform staff included).
        raise AdministrationError(REGISTER_EXISTING_ACCOUNT)
    if user is None:
        try:
            user = person_create_for_centre(
                centre=organisation, email=email, first_name=first_name, last_name=last_name
            )
        except AccountOwnershipError as error:
            raise AdministrationError(str(error)) from error
        membership = membership_create(
            user=user,
            centre=organisation,
            registration_type=RegistrationType.CENTRE,
            is_approved=True,
            actor=access.user,
            request=request,
        )
        membership.approved_at = timezone.now()
        membership.save(update_fields=["approved_at"])
    elif membership.status != "active":
        raise AdministrationError(
            f"{user.get_full_name()}'s record at {organisation.name} is not active. "
            f"Ask {organisation.name}'s administrators to reactivate it first."
        )
    register_role_grant(
        user=user,
        organisation=organisation,
        role=role,
        granted_by=access.user,
        limited_to=limited_to,
        request=request,
    )
    _limits_replace(access=access, user=user, limited_to=limited_to)
    if user.has_usable_password():
        email_send(
            to=[user.email],
            template="referrals/emails/signup_added_by_administrator",
            context={
                "user": user,
                "register": access.register,
                "organisation": organisation,
                "role": role,
                "granted_by": access.user,
                "login_url": settings.SITE_URL + "/dsr/",
            },
            centre=organisation,
        )
    else:
        welcome_link_send(membership=membership, sent_by=access.user, request=request)
    audit_record(
        actor=access.user,
        centre=organisation,
        action="register.user_added",
        target=user,
        summary=f"{user.get_full_name()} ({user.email}) added as {role.label} at {organisation.name}, "
        f"seeing {_limits_text(limited_to)}",
        request=request,
    )
    return user


@transaction.atomic
def register_user_update(
    *, access: RegisterAccess, person: RegisterUser, role: Role, limited_to: list[Centre] = (), request=None
) -> None:
    """R2: change someone's register role (at their organisation) and their limits."""
    role = Role(role)
    _check_administers(access, person.organisation)
    limited_to = _limits_check(access=access, role=role, limited_to=list(limited_to))
    held = {Role(assignment.role) for assignment in person.assignments}
    # Every part of the change is checked before any of it is written.
    checks = [(role, GrantAction.LIMIT)] + [(held_role, GrantAction.REVOKE) for held_role in held - {role}]
    if role not in held:
        checks.append((role, GrantAction.GRANT))
    for checked_role, action in checks:
        _check_grant(
            actor=access.user,
            role=checked_role,
            organisation=person.organisation,
            subject=person.user,
            action=action,
            limited_to=limited_to,
        )
    _check_keeps_an_administrator(access=access, person=person, removing_admin=role != Role.DSR_ADMIN)
    for assignment in person.assignments:
        if Role(assignment.role) != role:
            _register_role_revoke(assignment=assignment, revoked_by=access.user, request=request)
    if role not in held:
        register_role_grant(
            user=person.user,
            organisation=person.organisation,
            role=role,
            granted_by=access.user,
            limited_to=limited_to,
            request=request,
        )
    _limits_replace(access=access, user=person.user, limited_to=limited_to)
    audit_record(
        actor=access.user,
        centre=person.organisation,
        action="register.user_changed",
        target=person.user,
        summary=f"{person.user.get_full_name()} is now {role.label} at {person.organisation.name}, "
        f"seeing {_limits_text(limited_to)}",
        request=request,
    )


@transaction.atomic
def register_user_remove(*, access: RegisterAccess, person: RegisterUser, request=None) -> None:
    """R2: take away every register role the person holds at the permitted organisations.
    Their account and delegate record stay (they may use other parts of the platform)."""
    _check_administers(access, person.organisation)
    for assignment in person.assignments:
        _check_grant(
            actor=access.user,
            role=Role(assignment.role),
            organisation=assignment.centre,
            subject=person.user,
            action=GrantAction.REVOKE,
        )
    _check_keeps_an_administrator(access=access, person=person, removing_admin=True)
    for assignment in person.assignments:
        _register_role_revoke(assignment=assignment, revoked_by=access.user, request=request)
    AccessLimit.objects.filter(register=access.register, user=person.user).delete()
    audit_record(
        actor=access.user,
        centre=person.organisation,
        action="register.user_removed",
        target=person.user,
        summary=f"{person.user.get_full_name()} removed from the register ({person.organisation.name})",
        request=request,
    )


# -- the referral form, extra questions and notifications (R3, R4) ------------------------------


def lines_clean(text: str) -> list[str]:
    """One value a line: trimmed, blank lines dropped, repeats (ignoring case) dropped."""
    seen, values = set(), []
    for line in (text or "").splitlines():
        value = re.sub(r"\s+", " ", line).strip()
        if value and value.lower() not in seen:
            seen.add(value.lower())
            values.append(value)
    return values


def email_lines_clean(text: str) -> list[str]:
    addresses = [address.lower() for address in lines_clean(text)]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise AdministrationError(
                f"“{address}” is not an email address. Put one address on each line, like dsr.team@trust.nhs.uk"
            ) from None
    return addresses


def _configured(*, access: RegisterAccess, what: str, request=None, target=None) -> None:
    audit_record(
        actor=access.user,
        centre=access.centre,
        action="register.configured",
        target=target or access.register,
        summary=f"{what} changed ({access.register.name})",
        request=request,
    )


def _check_may_configure(access: RegisterAccess) -> Register:
    if not access.can_administer:
        raise AdministrationError("Only the register's administrators can change its settings")
    return Register.objects.select_for_update().get(pk=access.register.pk)


@transaction.atomic
def register_form_update(
    *,
    access: RegisterAccess,
    form_name: str,
    form_guidance: str,
    consent_link: str,
    consent_guidance: str,
    refuse_without_consent: bool,
    introduction: str,
    localities: list[str],
    request=None,
) -> Register:
    register = _check_may_configure(access)
    form_name = form_name.strip()
    if not form_name:
        raise AdministrationError("Enter the form's name, like New referral")
    localities = lines_clean("\n".join(localities))
    if not localities:
        raise AdministrationError("Enter at least one locality, one on each line")
    consent_link = consent_link.strip()
    if consent_link:
        try:
            URLValidator(schemes=["https", "http"])(consent_link)
        except ValidationError:
            raise AdministrationError(
                "Enter the consent form's web address in full, like https://www.trust.nhs.uk/dsr-consent"
            ) from None
    register.form_name = form_name
    register.form_guidance = form_guidance.strip()
    register.consent_link = consent_link
    register.consent_guidance = consent_guidance.strip()
    register.refuse_without_consent = refuse_without_consent
    register.introduction = introduction.strip()
    register.localities = localities
    register.save()
    _configured(access=access, what="The referral form", request=request)
    access.register = register
    return register


@transaction.atomic
def register_notifications_update(
    *,
    access: RegisterAccess,
    team_inbox: str,
    notify_team_inbox: bool,
    notify_submitter: bool,
    notify_administrators: bool,
    other_addresses: list[str],
    email_detail: str,
    request=None,
) -> Register:
    register = _check_may_configure(access)
    team_inbox = team_inbox.strip().lower()
    if notify_team_inbox and not team_inbox:
        raise AdministrationError("Enter the team inbox, or untick “the team inbox”")
    other_addresses = email_lines_clean("\n".join(other_addresses))
    if email_detail not in Register.EmailDetail.values:
        raise AdministrationError("Choose what new referral emails say about the person")
    register.team_inbox = team_inbox
    register.notify_team_inbox = notify_team_inbox
    register.notify_submitter = notify_submitter
    register.notify_administrators = notify_administrators
    register.notify_other_addresses = other_addresses
    register.email_detail = email_detail
    register.save()
    _configured(access=access, what="New referral notifications", request=request)
    access.register = register
    return register


def _question_check(*, kind: str, text: str, options: list[str]) -> tuple[str, list[str]]:
    text = text.strip()
    if not text:
        raise AdministrationError("Enter the question")
    if kind not in ExtraQuestion.Kind.values:
        raise AdministrationError("Choose the kind of answer")
    options = lines_clean("\n".join(options))
    if kind == ExtraQuestion.Kind.CHOICE:
        if len(options) < 2:
            raise AdministrationError("Enter at least two answers to choose from, one on each line")
    else:
        options = []
    return text, options


@transaction.atomic
def extra_question_create(
    *,
    access: RegisterAccess,
    text: str,
    hint: str,
    kind: str,
    options: list[str],
    is_mandatory: bool,
    position: int,
    request=None,
) -> ExtraQuestion:
    _check_may_configure(access)
    text, options = _question_check(kind=kind, text=text, options=options)
    question = ExtraQuestion.objects.create(
        register=access.register,
        text=text,
        hint=hint.strip(),
        kind=kind,
        options=options,
        is_mandatory=is_mandatory,
        position=position,
    )
    _configured(access=access, what=f"Extra question “{text}” added: the referral form", request=request)
    return question


@transaction.atomic
def extra_question_update(
    *,
    access: RegisterAccess,
    question: ExtraQuestion,
    text: str,
    hint: str,
    kind: str,
    options: list[str],
    is_mandatory: bool,
    position: int,
    is_active: bool,
    request=None,
) -> ExtraQuestion:
    """Questions are retired (`is_active` False), never deleted: old answers keep their text."""
    _check_may_configure(access)
    if question.register_id != access.register.pk:
        raise AdministrationError("This question is not in your register")
    text, options = _question_check(kind=kind, text=text, options=options)
    question.text = text
    question.hint = hint.strip()
    question.kind = kind
    question.options = options
    question.is_mandatory = is_mandatory
    question.position = position
    question.is_active = is_active
    question.save()
    state = "" if is_active else " (retired)"
    _configured(access=access, what=f"Extra question “{text}”{state}: the referral form", request=request)
    return question


# -- R11 audit export ---------------------------------------------------------------------------


@transaction.atomic
def register_audit_export_request(*, access: RegisterAccess, filters: dict, filter_summary: list[str], request=None):
    """The filtered audit trail as Excel, built by a worker (report kind `register_audit`)."""
    from reporting.services import report_job_create

    if not access.can_administer:
        raise AdministrationError("Only the register's administrators can export the audit trail")
    job = report_job_create(
        centre=access.centre,
        requested_by=access.user,
        kind="register_audit",
        title="Register audit trail",
        params={"filters": filters, "filter_summary": filter_summary},
        filename=f"register-audit-{access.register.slug}-{timezone.localdate():%Y-%m-%d}.xlsx",
        access=register_report_access(access, administer=True),
    )
    audit_record(
        actor=access.user,
        centre=access.centre,
        action="register.audit_exported",
        target=job,
        summary="Audit trail exported to Excel"
        + (f" (filters: {'; '.join(filter_summary)})" if filter_summary else ""),
        request=request,
    )
    return job


def audit_filters_for_job(filters: dict) -> dict:
    """The selector's filters as JSON for a report job (dates as ISO text)."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else str(value)
        for key, value in filters.items()
        if value not in (None, "")
    }


def register_audit_report_build(job, stream, progress) -> int:
    """The `register_audit` report kind: the filtered audit trail, built by a worker. The scope
    is worked out again now from the requester's current roles and limits, so someone who lost
    the administrator role (or was limited) since asking gets no more than they may see."""
    from datetime import date

    from referrals.access import register_access_for_user
    from referrals.selectors.administration import audit_action_label, register_audit_events
    from reporting.excel import workbook_write

    user, centre = job.requested_by, job.centre
    access = register_access_for_user(user=user, centre=centre)
    if access is None or not access.can_administer:
        raise AdministrationError(
            "The person who asked for this report is no longer one of the register's administrators"
        )
    access = register_access_narrowed(access, job)
    filters = dict(job.params.get("filters") or {})
    for key in ("date_from", "date_to"):
        filters[key] = date.fromisoformat(filters[key]) if filters.get(key) else None
    events = register_audit_events(access=access, **filters)
    total = events.count()

    def rows():
        values = events.values_list(
            "at", "actor__first_name", "actor__last_name", "actor__email", "action", "centre__name", "summary", "ip"
        )
        for done, (at, first, last, email, action, organisation, summary, ip) in enumerate(
            values.iterator(chunk_size=2000), start=1
        ):
            if done % 500 == 0:
                progress(done, total)
            name = f"{first or ''} {last or ''}".strip() or ("System" if not email else "")
            yield [
                timezone.localtime(at),
                name,
                email or "",
                audit_action_label(action),
                action,
                organisation or "",
                summary,
                ip or "",
            ]

    return workbook_write(
        stream=stream,
        sheet_title="Audit trail",
        headers=["When", "Who", "Email", "What", "Action", "Organisation", "Details", "IP address"],
        rows=rows(),
    )
