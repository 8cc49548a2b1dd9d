"""R7/R8: record an outcome, or record the archiving outcome and archive the record."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.exceptions import ServiceError
from referrals.access import RegisterAccess
from referrals.audit import referral_audit
from referrals.models import Outcome, Referral


class ReferralArchived(ServiceError):
    """The record was archived (perhaps by someone else a moment ago): it is read-only."""


def _locked(access: RegisterAccess, referral: Referral) -> Referral:
    """The referral again, row-locked, so two administrators cannot both archive it or add an
    outcome to a record that is being archived."""
    locked = access.visible_referrals().select_for_update().get(pk=referral.pk)
    if locked.is_archived:
        raise ReferralArchived
    if not access.may_record_outcome(locked):
        raise PermissionDenied("Only the register's administrators with access to this organisation record outcomes")
    return locked


def _answers_summary(answers: dict) -> str:
    requested = [name for name, key in (("C(E)TR", "cetr_requested"), ("LAEP", "laep_requested")) if answers[key]]
    if not requested:
        return "no C(E)TR or LAEP requested"
    text = f"{' and '.join(requested)} requested"
    if answers["meeting_happened"]:
        return f"{text}; meeting happened: {Outcome.Result(answers['result']).label}"
    return f"{text}; meeting did not happen"


def outcome_record(*, access: RegisterAccess, referral: Referral, answers: dict, request=None) -> Outcome:
    """Save an outcome; the record stays active and moves up the list as just updated."""
    with transaction.atomic():
        referral = _locked(access, referral)
        outcome = Outcome.objects.create(
            centre=referral.centre, referral=referral, recorded_by=access.user, archived=False, **answers
        )
        # An outcome is not a change to the referral's answers: touch the list's "last updated"
        # without writing a history version.
        Referral.objects.filter(pk=referral.pk).update(updated_at=timezone.now(), updated_by=access.user)
        referral_audit(
            access=access,
            action="referral.outcome_recorded",
            referral=referral,
            summary=f"Outcome recorded on referral {referral.reference}: {_answers_summary(answers)}",
            request=request,
        )
    return outcome


def referral_archive(*, access: RegisterAccess, referral: Referral, answers: dict, request=None) -> Outcome:
    """Save the archiving outcome and archive the record: from now on it is read-only, leaves
    the list, the dashboard and the active reports, and appears in the archived report only."""
    if not (answers.get("summary_for_next_meeting") and answers.get("plan_from_meeting")):
        raise ValueError("Archiving needs the summary for the next meeting and the plan from the meeting")
    with transaction.atomic():
        referral = _locked(access, referral)
        outcome = Outcome.objects.create(
            centre=referral.centre, referral=referral, recorded_by=access.user, archived=True, **answers
        )
        referral.archived_at = timezone.now()
        referral.archived_by = access.user
        referral.updated_by = access.user
        referral._change_reason = "Archived"
        referral.save(update_fields=["archived_at", "archived_by", "updated_by", "updated_at"])
        referral_audit(
            access=access,
            action="referral.archived",
            referral=referral,
            summary=f"Referral {referral.reference} archived: {_answers_summary(answers)}",
            request=request,
        )
    return outcome
