"""R3, R4, R6: create and update referrals, add notes, tell people about a new referral.

Refusals that someone could reach by tampering (another organisation, an archived record, a
record they may not change) are audited as `referral.refused` before anything is written, so
the audit event is not rolled back with the refused change."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from centres.roles import Role
from core.exceptions import ServiceError
from notifications.services import email_send
from referrals.access import RegisterAccess
from referrals.audit import referral_audit
from referrals.models import AccessLimit, Referral, ReferralNote, Register
from referrals.references import reference_generate

REFERRAL_FIELDS = (
    "has_capacity",
    "consent_given",
    "best_interest_decision",
    "best_interest_detail",
    "first_name",
    "last_name",
    "date_of_birth",
    "nhs_number",
    "condition",
    "ethnicity",
    "locality",
    "criminal_justice",
    "risk",
    "latest_update",
)


class ReferralError(ServiceError):
    """A referral change that the rules refuse; the message says what to do. `field` names the
    form field it is about, if any."""


def _refuse(*, access, request, message: str, summary: str, referral=None, field=None):
    referral_audit(access=access, action="referral.refused", referral=referral, summary=summary, request=request)
    raise ReferralError(message, field=field)


def _organisation_choose(*, access: RegisterAccess, organisation_id: str, request):
    """The referring organisation: one of `access.referring_organisations()`. With only one,
    nothing need be posted; any other posted id is refused and audited."""
    organisations = access.referring_organisations()
    if not organisations:
        _refuse(
            access=access,
            request=request,
            message="You cannot add referrals in this register.",
            summary="Tried to add a referral without a role that may refer",
        )
    if not organisation_id and len(organisations) == 1:
        return organisations[0]
    for organisation in organisations:
        if str(organisation.public_id) == str(organisation_id):
            return organisation
    return _refuse(
        access=access,
        request=request,
        message="Select one of the organisations listed as the referring organisation.",
        summary=f"Tried to add a referral for organisation {str(organisation_id)[:64]!r}, which they may not refer for",
        field="organisation",
    )


def _consent_check(*, register: Register, data: dict) -> None:
    if not register.refuse_without_consent:
        return
    if data["has_capacity"] and not data["consent_given"]:
        raise ReferralError(
            "The person has not given consent, so they cannot be added to the register. "
            "Ask for their consent first, then add them.",
            field="consent_given",
        )
    if not data["has_capacity"] and not data["best_interest_decision"]:
        raise ReferralError(
            "The person lacks capacity and no best-interest decision has been made, so they cannot be added "
            "to the register. Make and record a best-interest decision first.",
            field="best_interest_decision",
        )


def _duplicate_check(*, access: RegisterAccess, nhs_number: str, exclude_pk=None) -> None:
    """One active referral per person in a register (R3): say so instead of duplicating."""
    existing = Referral.objects.filter(register=access.register, nhs_number=nhs_number).active()
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    existing = existing.only("pk", "reference").first()
    if existing is None:
        return
    if access.visible_referrals().filter(pk=existing.pk).exists():
        message = (
            f"This person is already on the register: referral {existing.reference}. "
            "Update that referral instead of adding a new one."
        )
    else:
        message = (
            "A referral for this NHS number already exists in the register. Contact the DSR team to have it updated."
        )
    raise ReferralError(message, field="nhs_number")


def _save_unless_duplicate(*, access: RegisterAccess, referral: Referral) -> None:
    """Save; if the database refuses a second active referral for the NHS number (someone
    added the same person since `_duplicate_check`), say so as `_duplicate_check` would."""
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        _duplicate_check(access=access, nhs_number=referral.nhs_number, exclude_pk=referral.pk)
        raise


def referral_create(*, access: RegisterAccess, organisation_id: str, data: dict, extra_answers: dict, request=None):
    """R3: add a person to the register for a permitted organisation, then email the people
    the register names (R4). `data` holds REFERRAL_FIELDS."""
    organisation = _organisation_choose(access=access, organisation_id=organisation_id, request=request)
    _consent_check(register=access.register, data=data)
    with transaction.atomic():
        _duplicate_check(access=access, nhs_number=data["nhs_number"])
        referral = Referral(
            reference=reference_generate(),
            register=access.register,
            centre=organisation,
            created_by=access.user,
            updated_by=access.user,
            extra_answers=extra_answers,
            **{name: data[name] for name in REFERRAL_FIELDS},
        )
        referral._history_user = access.user  # simple-history: who saved this version
        _save_unless_duplicate(access=access, referral=referral)
        referral_audit(
            access=access,
            action="referral.created",
            referral=referral,
            summary=f"Added referral {referral.reference} for {organisation.name}",
            request=request,
        )
        referral_new_notify(referral=referral, submitter=access.user)
    return referral


def referral_update_check(*, access: RegisterAccess, referral: Referral, request=None) -> None:
    """Refuse (audited) a change to an archived record or by someone who may not update it."""
    if referral.is_archived:
        _refuse(
            access=access,
            request=request,
            referral=referral,
            message="This referral is archived: it can be read but not changed.",
            summary=f"Tried to update archived referral {referral.reference}",
        )
    if not access.may_update(referral):
        _refuse(
            access=access,
            request=request,
            referral=referral,
            message="You can read this referral but not change it.",
            summary=f"Tried to update referral {referral.reference} without permission",
        )


def referral_update(*, access: RegisterAccess, referral: Referral, data: dict, extra_answers: dict, request=None):
    """R6: change a referral's answers; simple-history keeps the previous version. Answers to
    questions that are no longer asked are kept."""
    referral_update_check(access=access, referral=referral, request=request)
    _consent_check(register=access.register, data=data)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.is_archived:  # archived while the form was open
            raise ReferralError("This referral has just been archived: it can be read but not changed.")
        _duplicate_check(access=access, nhs_number=data["nhs_number"], exclude_pk=referral.pk)
        answers = dict(referral.extra_answers or {})
        asked = {
            str(public_id)
            for public_id in referral.register.extra_questions.filter(is_active=True).values_list(
                "public_id", flat=True
            )
        }
        for key in asked:
            answers.pop(key, None)
        answers.update(extra_answers)
        changed = [name for name in REFERRAL_FIELDS if getattr(referral, name) != data[name]]
        if answers != (referral.extra_answers or {}):
            changed.append("extra_answers")
        if not changed:
            return referral, False
        for name in REFERRAL_FIELDS:
            setattr(referral, name, data[name])
        referral.extra_answers = answers
        referral.updated_by = access.user
        referral._history_user = access.user
        referral._change_reason = ", ".join(changed)[:100]
        _save_unless_duplicate(access=access, referral=referral)
        referral_audit(
            access=access,
            action="referral.updated",
            referral=referral,
            summary=f"Updated referral {referral.reference}: {', '.join(changed)}",
            request=request,
        )
    return referral, True


def referral_note_add(*, access: RegisterAccess, referral: Referral, body: str, request=None) -> ReferralNote:
    """R6: a note on the Notes tab, by someone who may update the referral."""
    if referral.is_archived:
        _refuse(
            access=access,
            request=request,
            referral=referral,
            message="This referral is archived: notes can no longer be added.",
            summary=f"Tried to add a note to archived referral {referral.reference}",
        )
    if not access.may_update(referral):
        _refuse(
            access=access,
            request=request,
            referral=referral,
            message="You can read this referral's notes but not add to them.",
            summary=f"Tried to add a note to referral {referral.reference} without permission",
        )
    body = body.strip()
    if not body:
        raise ReferralError("Enter the note", field="body")
    with transaction.atomic():
        note = ReferralNote.objects.create(centre=referral.centre, referral=referral, author=access.user, body=body)
        referral_audit(
            access=access,
            action="referral.note_added",
            referral=referral,
            summary=f"Added a note to referral {referral.reference}",
            request=request,
        )
    return note


def register_administrator_emails(*, register: Register, organisation) -> list[str]:
    """Active DSR administrators at an organisation of the register who may see `organisation`'s
    referrals (not limited to other organisations)."""
    limits = AccessLimit.objects.filter(register=register, user=OuterRef("pk"))
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=False,
            role_assignments__role=Role.DSR_ADMIN,
            role_assignments__revoked_at__isnull=True,
            role_assignments__centre__register_organisation__register=register,
        )
        .annotate(limited=Exists(limits), limited_here=Exists(limits.filter(centre=organisation)))
        .exclude(limited=True, limited_here=False)
        .distinct()
    )
    return list(users.values_list("email", flat=True))


def referral_new_recipients(*, referral: Referral, submitter) -> list[str]:
    """R4: the combination the register configures, each address once (lower case)."""
    register = referral.register
    addresses = []
    if register.notify_team_inbox and register.team_inbox:
        addresses.append(register.team_inbox)
    if register.notify_submitter and submitter.email:
        addresses.append(submitter.email)
    if register.notify_administrators:
        addresses.extend(register_administrator_emails(register=register, organisation=referral.centre))
    addresses.extend(register.notify_other_addresses or [])
    seen, unique = set(), []
    for address in addresses:
        address = address.strip().lower()
        if address and address not in seen:
            seen.add(address)
            unique.append(address)
    return unique


def referral_new_notify(*, referral: Referral, submitter) -> None:
    """One outbox email per recipient (so no one sees the others' addresses). No patient
    details: the reference and a link, plus the name only when the register chose that."""
    register = referral.register
    context = {
        "register_name": register.name,
        "reference": referral.reference,
        "organisation": referral.centre.name,
        "name": referral.full_name if register.email_detail == Register.EmailDetail.NAME else "",
        "link": settings.SITE_URL.rstrip("/") + reverse("referrals:detail", kwargs={"referral_id": referral.public_id}),
    }
    for address in referral_new_recipients(referral=referral, submitter=submitter):
        email_send(to=[address], template="referrals/emails/new_referral", context=context, centre=referral.centre)
