"""R3 add a referral, R6 view and update it, its History and Notes tabs. Every GET of a
referral page is audited (R11); who may see what is decided by referrals.access."""

import contextlib
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.roles import Permission
from core.forms import form_add_service_error
from referrals.access import ANY_REGISTER_ROLE, register_role_required
from referrals.audit import referral_audit
from referrals.forms.referral import NoteForm, ReferralForm
from referrals.models import ExtraQuestion
from referrals.selectors import referral_for_access, referral_tabs
from referrals.selectors.history import referral_versions
from referrals.services import referrals as services
from submissions.tokens import once_per_submission


def _questions(register, *, active_only=True) -> list[ExtraQuestion]:
    questions = ExtraQuestion.objects.filter(register=register).order_by("position", "created_at")
    return list(questions.filter(is_active=True) if active_only else questions)


def _viewed(request, access, referral, page: str) -> None:
    referral_audit(
        access=access,
        action="referral.viewed",
        referral=referral,
        summary=f"Viewed the {page} of referral {referral.reference}",
        request=request,
    )


def _page(request, template, access, referral, current, **context):
    context.update(
        {
            "access": access,
            "referral": referral,
            "tabs": referral_tabs(access=access, referral=referral),
            "current": current,
        }
    )
    form = context.get("form")
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


@register_role_required(Permission.REFER, Permission.ADMINISTER_REGISTER)
@require_http_methods(["GET", "POST"])
@once_per_submission
def referral_create(request):
    access = request.register_access
    register = access.register
    organisations = access.referring_organisations()
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        register=register,
        questions=_questions(register),
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                access=access,
                organisation_id=form.cleaned_data.get("organisation") or "",
                data=form.referral_data(),
                extra_answers=form.extra_answers(),
                request=request,
            )
        except services.ReferralError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, f"{referral.full_name} has been added to the register: reference {referral.reference}."
            )
            return redirect("referrals:detail", referral_id=referral.public_id)
    context = {
        "access": access,
        "register": register,
        "form": form,
        "fixed_organisation": organisations[0] if len(organisations) == 1 else None,
    }
    return render(request, "referrals/referral/create.html", context, status=400 if form.errors else 200)


def _answer_rows(referral, questions) -> list[dict]:
    """The summary list of a referral's answers (read-only view)."""
    yes_no = {True: "Yes", False: "No", None: "Not answered"}
    rows = [("Has capacity to consent", yes_no[referral.has_capacity])]
    if referral.has_capacity:
        rows.append(("Consent given", yes_no[referral.consent_given]))
    else:
        rows.append(("Best-interest decision made", yes_no[referral.best_interest_decision]))
        if referral.best_interest_detail:
            rows.append(("Best-interest decision", referral.best_interest_detail))
    number = referral.nhs_number
    rows += [
        ("First name", referral.first_name),
        ("Last name", referral.last_name),
        ("Date of birth", referral.date_of_birth.strftime("%-d %B %Y")),
        ("NHS number", f"{number[:3]} {number[3:6]} {number[6:]}"),
        ("Learning disability and/or autism", referral.get_condition_display()),
        ("Ethnicity", referral.get_ethnicity_display()),
        ("Locality", referral.locality),
        ("Referring organisation", referral.centre.name),
        ("History with criminal justice", referral.get_criminal_justice_display()),
        ("Risk level", referral.get_risk_display()),
        ("Latest update for the DSR meeting", referral.latest_update or "None"),
    ]
    answers = referral.extra_answers or {}
    for question in questions:
        answer = answers.get(str(question.public_id))
        if answer is None and not question.is_active:
            continue
        if answer and question.kind == ExtraQuestion.Kind.DATE:
            with contextlib.suppress(ValueError):
                answer = date.fromisoformat(answer).strftime("%-d %B %Y")
        elif answer and question.kind == ExtraQuestion.Kind.YES_NO_DONT_KNOW:
            answer = {"yes": "Yes", "no": "No", "dont_know": "Don't know"}.get(answer, answer)
        rows.append((question.text, answer or "Not answered"))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]


@register_role_required(*ANY_REGISTER_ROLE)
@require_http_methods(["GET", "POST"])
def referral_detail(request, referral_id):
    access = request.register_access
    posting = request.method == "POST"
    referral = referral_for_access(
        access=access, referral_id=referral_id, request=request, action="update" if posting else "view"
    )
    if posting:
        try:
            services.referral_update_check(access=access, referral=referral, request=request)
        except services.ReferralError as error:
            messages.error(request, str(error))
            return redirect("referrals:detail", referral_id=referral.public_id)
    questions = _questions(access.register, active_only=False)
    active_questions = [question for question in questions if question.is_active]
    form = None
    if access.may_update(referral):
        form = ReferralForm(
            request.POST if posting else None,
            register=access.register,
            questions=active_questions,
            initial=ReferralForm.initial_for(referral),
            for_update=True,
        )
    if posting and form.is_valid():
        try:
            referral, changed = services.referral_update(
                access=access,
                referral=referral,
                data=form.referral_data(),
                extra_answers=form.extra_answers(),
                request=request,
            )
        except services.ReferralError as error:
            form_add_service_error(form, error)
        else:
            if changed:
                messages.success(request, f"Referral {referral.reference} has been updated.")
            else:
                messages.info(request, "Nothing was changed, so no new version was saved.")
            return redirect("referrals:detail", referral_id=referral.public_id)
    if not posting:
        _viewed(request, access, referral, "record")
    return _page(
        request,
        "referrals/referral/detail.html",
        access,
        referral,
        "referrals:detail",
        form=form,
        register=access.register,
        rows=_answer_rows(referral, questions),
    )


@register_role_required(*ANY_REGISTER_ROLE)
@require_GET
def referral_history(request, referral_id):
    access = request.register_access
    referral = referral_for_access(
        access=access, referral_id=referral_id, request=request, action="view the history of"
    )
    _viewed(request, access, referral, "history")
    return _page(
        request,
        "referrals/referral/history.html",
        access,
        referral,
        "referrals:history",
        versions=referral_versions(referral=referral),
    )


@register_role_required(*ANY_REGISTER_ROLE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def referral_notes(request, referral_id):
    access = request.register_access
    posting = request.method == "POST"
    referral = referral_for_access(
        access=access, referral_id=referral_id, request=request, action="add a note to" if posting else "view notes of"
    )
    may_add = access.may_update(referral)
    form = NoteForm(request.POST if posting else None) if may_add or posting else None
    if posting:
        if form.is_valid() or not may_add:
            try:
                services.referral_note_add(
                    access=access, referral=referral, body=form.data.get("body", ""), request=request
                )
            except services.ReferralError as error:
                if not may_add:
                    messages.error(request, str(error))
                    return redirect("referrals:notes", referral_id=referral.public_id)
                form_add_service_error(form, error)
            else:
                messages.success(request, "Your note has been added.")
                return redirect("referrals:notes", referral_id=referral.public_id)
    else:
        _viewed(request, access, referral, "notes")
    notes = list(referral.notes.select_related("author"))
    return _page(request, "referrals/referral/notes.html", access, referral, "referrals:notes", form=form, notes=notes)
