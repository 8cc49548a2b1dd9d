"""R7/R8: an administrator records outcomes on a referral, and may archive it with a final
outcome after a confirmation step. Archived records show their outcomes read-only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from centres.roles import Permission
from referrals.access import RegisterAccess, register_role_required
from referrals.audit import referral_audit
from referrals.forms.outcome import OutcomeForm
from referrals.models import Outcome, Referral
from referrals.selectors import referral_for_access, referral_tabs
from referrals.selectors.outcomes import outcome_rows, referral_last_outcome, referral_outcomes_list
from referrals.services import outcomes as services
from submissions.tokens import once_per_submission


def _outcomes_page(request, access: RegisterAccess, referral: Referral, form: OutcomeForm | None):
    if request.method == "GET":
        # R11: every view of a referral is audited.
        referral_audit(
            access=access,
            action="referral.viewed",
            referral=referral,
            summary=f"Viewed the outcomes of referral {referral.reference}",
            request=request,
        )
    outcomes = referral_outcomes_list(referral=referral)
    # The form starts from the last outcome (newest first): say so above it.
    starts_from = outcomes[0] if outcomes and form is not None and not form.is_bound and form.initial else None
    return render(
        request,
        "referrals/outcomes/outcomes.html",
        {
            "access": access,
            "referral": referral,
            "tabs": referral_tabs(access=access, referral=referral),
            "form": form,
            "starts_from": starts_from,
            "outcomes": [{"outcome": outcome, "rows": outcome_rows(outcome)} for outcome in outcomes],
        },
    )


def _refuse_archived(request, access: RegisterAccess, referral: Referral, *, tried: str):
    """R8: nothing is written to an archived record; say so and audit the attempt."""
    referral_audit(
        access=access,
        action="referral.refused",
        referral=referral,
        summary=f"Tried to {tried} referral {referral.reference}, which is archived",
        request=request,
    )
    messages.error(request, f"{referral.full_name}'s record is archived, so it cannot be changed. Nothing was saved.")
    return redirect("referrals:outcomes", referral_id=referral.public_id)


def _back_to_form(post) -> OutcomeForm:
    """ "No, go back" on the confirmation page: the form again with the answers kept."""
    return OutcomeForm(initial={name: post.get(name, "") for name in OutcomeForm.ANSWER_FIELDS})


@register_role_required(Permission.ADMINISTER_REGISTER)
@require_http_methods(["GET", "POST"])
@once_per_submission
def referral_outcomes(request, referral_id):
    access = request.register_access
    referral = referral_for_access(
        access=access, referral_id=referral_id, request=request, action="record an outcome on"
    )
    if referral.is_archived:
        if request.method == "POST":
            return _refuse_archived(request, access, referral, tried="record an outcome on")
        return _outcomes_page(request, access, referral, None)
    if request.method == "GET":
        last = referral_last_outcome(referral=referral)
        return _outcomes_page(request, access, referral, OutcomeForm(initial=OutcomeForm.initial_from(last)))
    if "back" in request.POST:
        return _outcomes_page(request, access, referral, _back_to_form(request.POST))
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _outcomes_page(request, access, referral, form)
    try:
        services.outcome_record(access=access, referral=referral, answers=form.answers(), request=request)
    except services.ReferralArchived:
        return _refuse_archived(request, access, referral, tried="record an outcome on")
    messages.success(request, f"Outcome saved for {referral.full_name}. The record is still active.")
    return redirect("referrals:outcomes", referral_id=referral.public_id)


@register_role_required(Permission.ADMINISTER_REGISTER)
@require_http_methods(["GET", "POST"])
def referral_archive(request, referral_id):
    """Save and archive: the answers are checked, then shown on a confirmation page that carries
    them in hidden fields; "Yes, archive" sends them back and they are checked again."""
    access = request.register_access
    referral = referral_for_access(access=access, referral_id=referral_id, request=request, action="archive")
    if request.method == "GET":
        return redirect("referrals:outcomes", referral_id=referral.public_id)
    if referral.is_archived:
        return _refuse_archived(request, access, referral, tried="archive")
    form = OutcomeForm(request.POST, archiving=True)
    if not form.is_valid():
        return _outcomes_page(request, access, referral, form)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "referrals/outcomes/archive_confirm.html",
            {
                "access": access,
                "referral": referral,
                "carried": form.carried_answers(),
                "rows": outcome_rows(Outcome(**form.answers())),
            },
        )
    try:
        services.referral_archive(access=access, referral=referral, answers=form.answers(), request=request)
    except services.ReferralArchived:
        return _refuse_archived(request, access, referral, tried="archive")
    messages.success(
        request,
        f"{referral.full_name}'s record is archived. It is read-only and appears only in the archived records report.",
    )
    return redirect("referrals:outcomes", referral_id=referral.public_id)
