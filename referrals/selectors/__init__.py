"""Reads for the register. Every function takes a `RegisterAccess` (referrals.access) and
reaches referrals only through it."""

from django.http import Http404

from referrals.access import RegisterAccess
from referrals.audit import referral_audit
from referrals.models import Referral


def referral_for_access(*, access: RegisterAccess, referral_id, request=None, action: str = "view") -> Referral:
    """The referral `referral_id` if this person may open it; otherwise 404 (the same as an id
    that names nothing), and the refused attempt is audited. `action` says what was tried."""
    referral = (
        access.visible_referrals()
        .select_related("centre", "created_by", "updated_by", "archived_by")
        .filter(public_id=referral_id)
        .first()
    )
    if referral is None:
        referral_audit(
            access=access,
            action="referral.refused",
            summary=f"Tried to {action} referral {referral_id}, which is not theirs to open",
            request=request,
        )
        raise Http404("No referral here")
    return referral


def referral_tabs(*, access: RegisterAccess, referral: Referral) -> list[dict]:
    """The tabs of a referral's pages with their counts (R6: History counts the updates;
    Notes and Outcomes count their rows). Outcomes are shown to administrators only."""
    versions = referral.history.count()
    tabs = [
        {"text": "Referral", "url_name": "referrals:detail", "count": None},
        {"text": "History", "url_name": "referrals:history", "count": max(versions - 1, 0)},
        {"text": "Notes", "url_name": "referrals:notes", "count": referral.notes.count()},
    ]
    if access.can_administer:
        tabs.append({"text": "Outcomes", "url_name": "referrals:outcomes", "count": referral.outcomes.count()})
    return tabs
