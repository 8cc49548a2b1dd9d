"""Writes for the register's administration: the referral form and extra questions (R3),
notifications (R4), the audit export (R11). Each is atomic and audited (`register.*`). Users
and their roles (R2) are `referrals.services.register_users`.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from core.progress import counted
from referrals.access import RegisterAccess, register_access_for_user, register_access_narrowed, register_report_access
from referrals.models import ExtraQuestion, Register
from referrals.selectors.administration import audit_action_label, register_audit_events
from reporting.excel import workbook_write
from reporting.services import report_job_create


class AdministrationError(ServiceError):
    """A rule refused the change; the message is written for the person."""


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
        for at, first, last, email, action, organisation, summary, ip in counted(
            values.iterator(chunk_size=2000), total=total, progress=progress
        ):
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
