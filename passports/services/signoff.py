"""P8: the learner asks an educator to sign off their passport; the educator signs it off (a
certificate is issued and the record locks) or declines; an educator may reopen it."""


from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centres.audit import audit_record
from centres.roles import Permission
from centres.selectors.memberships import contact_email
from notifications.selectors import notification_wanted
from notifications.services import email_send
from passports.models import Certificate, Enrolment, Result, ResultStatus, SignOff, Supervisor
from passports.notifications import SIGN_OFF_REQUESTED
from passports.services.errors import PassportError
from reporting.certificates import certificate_code_generate

COMMENT_MAX = 2000
def unconfirmed_required_count(*, enrolment: Enrolment) -> int:
    """How many non-optional proficiencies of the enrolment are not yet confirmed."""
    required = enrolment.version.proficiencies.filter(is_optional=False)
    confirmed = Result.objects.for_centre(enrolment.centre).filter(
        enrolment=enrolment, status=ResultStatus.CONFIRMED, proficiency__is_optional=False
    )
    return required.count() - confirmed.count()


def _clean(text: str | None, *, what: str) -> str:
    text = (text or "").strip()
    if len(text) > COMMENT_MAX:
        raise PassportError(f"{what} must be {COMMENT_MAX} characters or fewer")
    return text


def _learner_email(enrolment: Enrolment) -> list[str]:
    return [contact_email(user=enrolment.membership.user, centre=enrolment.centre)]


def _locked_enrolment(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.for_centre(enrolment.centre)
        .select_for_update()
        .select_related("membership__user", "framework", "version", "centre")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def signoff_request(*, enrolment: Enrolment, educator, comment: str = "", actor, http_request=None) -> SignOff:
    """The learner asks `educator` (one of their supervisors holding SIGN_OFF at the centre)
    to sign off; every non-optional proficiency must be confirmed."""
    enrolment = _locked_enrolment(enrolment)
    centre = enrolment.centre
    if enrolment.membership.user_id != actor.pk:
        raise PassportError("Only the learner can ask for their passport to be signed off")
    if enrolment.removed_at is not None:
        raise PassportError("This enrolment has been removed")
    if enrolment.is_locked:
        raise PassportError("This passport has already been signed off")
    if SignOff.objects.for_centre(centre).filter(enrolment=enrolment, status=SignOff.Status.REQUESTED).exists():
        raise PassportError("You have already asked for sign-off; wait for the answer")
    missing = unconfirmed_required_count(enrolment=enrolment)
    if missing:
        raise PassportError(f"{missing} required proficienc{'y is' if missing == 1 else 'ies are'} not confirmed yet")
    is_supervisor = Supervisor.objects.for_centre(centre).filter(enrolment=enrolment, user=educator).exists()
    if not is_supervisor or not educator.has_perm(Permission.SIGN_OFF.value, centre):
        raise PassportError("Choose one of your supervisors who can sign off passports")
    comment = _clean(comment, what="Your comment")
    sign_off = SignOff.objects.create(centre=centre, enrolment=enrolment, educator=educator, learner_comment=comment)
    learner = enrolment.membership.user
    # Only with their preference on; the request is on their to-do list all the same.
    if notification_wanted(user=educator, centre=centre, kind=SIGN_OFF_REQUESTED):
        email_send(
            to=[contact_email(user=educator, centre=centre)],
            template="passports/emails/signoff_requested",
            context={
                "educator": educator,
                "learner": learner,
                "framework": enrolment.framework,
                "centre": centre,
                "comment": comment,
                "decide_path": reverse("passports:supervise_signoff", kwargs={"signoff_id": sign_off.public_id}),
            },
            centre=centre,
        )
    audit_record(
        actor=actor,
        centre=centre,
        action="passport.signoff_requested",
        target=sign_off,
        summary=f"{learner.get_full_name()} asked {educator.get_full_name()} to sign off {enrolment.framework.name}",
        request=http_request,
    )
    return sign_off


@transaction.atomic
def certificate_issue(*, sign_off: SignOff, actor, http_request=None) -> Certificate:
    """A certificate for a signed-off passport, with a new unambiguous verification code."""
    for _ in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    centre=sign_off.centre,
                    enrolment=sign_off.enrolment,
                    sign_off=sign_off,
                    code=certificate_code_generate(),
                )
            break
        except IntegrityError:  # the code was taken (about one chance in 10^17)
            continue
    else:  # pragma: no cover
        raise PassportError("Could not issue a certificate; please try again")
    audit_record(
        actor=actor,
        centre=sign_off.centre,
        action="passport.certificate_issued",
        target=certificate,
        summary=f"Certificate {certificate.code} issued",
        request=http_request,
    )
    return certificate


@transaction.atomic
def signoff_decide(
    *, sign_off: SignOff, approve: bool, comment: str = "", actor, http_request=None
) -> Certificate | None:
    """The educator asked signs off (`approve=True`: the record locks and a certificate is
    issued) or declines (a comment is required). The learner is emailed either way."""
    centre = sign_off.centre
    sign_off = SignOff.objects.for_centre(centre).select_for_update().get(pk=sign_off.pk)
    if sign_off.educator_id != actor.pk:
        raise PassportError("Only the educator this request was sent to can answer it")
    if not actor.has_perm(Permission.SIGN_OFF.value, centre):
        raise PassportError("Your roles at this centre do not let you sign off passports")
    if sign_off.status != SignOff.Status.REQUESTED:
        raise PassportError("This request has already been answered or withdrawn")
    enrolment = _locked_enrolment(sign_off.enrolment)
    comment = _clean(comment, what="Your comment")
    if not approve and not comment:
        raise PassportError("Enter a comment to say why you are declining")
    now = timezone.now()
    certificate = None
    if approve:
        if enrolment.is_locked:
            raise PassportError("This passport has already been signed off")
        missing = unconfirmed_required_count(enrolment=enrolment)
        if missing:
            raise PassportError(
                f"You cannot sign off yet: {missing} required proficienc{'y is' if missing == 1 else 'ies are'} "
                "not confirmed"
            )
        sign_off.status = SignOff.Status.SIGNED_OFF
        enrolment.signed_off_at = now
        enrolment.save(update_fields=["signed_off_at"])
    else:
        sign_off.status = SignOff.Status.DECLINED
    sign_off.decided_at = now
    sign_off.educator_comment = comment
    sign_off.save(update_fields=["status", "decided_at", "educator_comment"])
    if approve:
        certificate = certificate_issue(sign_off=sign_off, actor=actor, http_request=http_request)
    learner = enrolment.membership.user
    email_send(
        to=_learner_email(enrolment),
        template="passports/emails/signoff_signed_off" if approve else "passports/emails/signoff_declined",
        context={
            "learner": learner,
            "educator": actor,
            "framework": enrolment.framework,
            "centre": centre,
            "comment": comment,
            "certificate": certificate,
            "signoff_path": reverse("passports:signoff", kwargs={"enrolment_id": enrolment.public_id}),
        },
        centre=centre,
    )
    audit_record(
        actor=actor,
        centre=centre,
        action="passport.signed_off" if approve else "passport.signoff_declined",
        target=sign_off,
        summary=(
            f"{'Signed off' if approve else 'Declined to sign off'} {learner.get_full_name()}'s "
            f"{enrolment.framework.name}"
        ),
        request=http_request,
    )
    return certificate


@transaction.atomic
def enrolment_reopen(*, enrolment: Enrolment, reason: str, actor, http_request=None) -> SignOff:
    """An educator (SIGN_OFF at the centre) unlocks a signed-off passport: signed_off_at is
    cleared, the certificate revoked and the sign-off marked reopened. A reason is required."""
    enrolment = _locked_enrolment(enrolment)
    centre = enrolment.centre
    if not actor.has_perm(Permission.SIGN_OFF.value, centre):
        raise PassportError("Only an educator who can sign off passports can reopen one")
    if not enrolment.is_locked:
        raise PassportError("This passport is not signed off")
    reason = _clean(reason, what="The reason")
    if not reason:
        raise PassportError("Enter the reason for reopening this passport")
    now = timezone.now()
    sign_off = (
        SignOff.objects.for_centre(centre)
        .select_for_update()
        .filter(enrolment=enrolment, status=SignOff.Status.SIGNED_OFF)
        .order_by("-decided_at")
        .first()
    )
    if sign_off is None:  # pragma: no cover - signed_off_at is only set with a signed-off row
        raise PassportError("This passport has no sign-off to reopen")
    sign_off.status = SignOff.Status.REOPENED
    sign_off.reopened_by = actor
    sign_off.reopened_at = now
    sign_off.reopen_reason = reason
    sign_off.save(update_fields=["status", "reopened_by", "reopened_at", "reopen_reason"])
    Certificate.objects.for_centre(centre).filter(enrolment=enrolment, revoked_at__isnull=True).update(revoked_at=now)
    enrolment.signed_off_at = None
    enrolment.save(update_fields=["signed_off_at"])
    learner = enrolment.membership.user
    email_send(
        to=_learner_email(enrolment),
        template="passports/emails/signoff_reopened",
        context={
            "learner": learner,
            "educator": actor,
            "framework": enrolment.framework,
            "centre": centre,
            "reason": reason,
        },
        centre=centre,
    )
    audit_record(
        actor=actor,
        centre=centre,
        action="passport.reopened",
        target=sign_off,
        summary=f"Reopened {learner.get_full_name()}'s {enrolment.framework.name}: {reason}",
        request=http_request,
    )
    return sign_off


@transaction.atomic
def signoff_withdraw(*, sign_off: SignOff, actor, http_request=None) -> SignOff:
    """The learner takes back a sign-off request that has not been answered."""
    centre = sign_off.centre
    sign_off = (
        SignOff.objects.for_centre(centre)
        .select_for_update()
        .select_related("enrolment__membership__user", "enrolment__framework")
        .get(pk=sign_off.pk)
    )
    if sign_off.enrolment.membership.user_id != actor.pk:
        raise PassportError("Only the learner can withdraw their sign-off request")
    if sign_off.status != SignOff.Status.REQUESTED:
        raise PassportError("This request has already been answered or withdrawn")
    sign_off.status = SignOff.Status.WITHDRAWN
    sign_off.decided_at = timezone.now()
    sign_off.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        centre=centre,
        action="passport.signoff_withdrawn",
        target=sign_off,
        summary=f"Withdrew the sign-off request for {sign_off.enrolment.framework.name}",
        request=http_request,
    )
    return sign_off
