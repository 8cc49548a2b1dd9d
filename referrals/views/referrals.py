"""R3 add a referral, R6 view and update it, its History and Notes tabs. Every GET of a
referral page is audited (R11); who may see what is decided by referrals.access."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.roles import Permission
from core.forms import form_add_service_error
from referrals import summary
from referrals.access import ANY_REGISTER_ROLE, register_role_required
from referrals.audit import referral_audit
from referrals.forms.referral import NoteForm, ReferralForm
from referrals.models import ExtraQuestion
from referrals.selectors import referral_for_access, referral_tabs
from referrals.selectors.history import referral_versions
from referrals.selectors.outcomes import referral_last_outcome
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


def _update_form(request, access, referral):
    """The edit form (the existing update), or None if this person may not update the record."""
    if not access.may_update(referral):
        return None
    return ReferralForm(
        request.POST if request.method == "POST" else None,
        register=access.register,
        questions=_questions(access.register),
        initial=ReferralForm.initial_for(referral),
        for_update=True,
    )


def _referral_update(request, access, referral_id, *, template: str):
    """POST of the edit form (to the edit page, or to the record as before): check, update,
    back to the record's summary. On an error the edit form again with the messages."""
    referral = referral_for_access(access=access, referral_id=referral_id, request=request, action="update")
    try:
        services.referral_update_check(access=access, referral=referral, request=request)
    except services.ReferralError as error:
        messages.error(request, str(error))
        return redirect("referrals:detail", referral_id=referral.public_id)
    form = _update_form(request, access, referral)
    if form.is_valid():
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
    return _page(request, template, access, referral, "referrals:detail", form=form, register=access.register)


@register_role_required(*ANY_REGISTER_ROLE)
@require_http_methods(["GET", "POST"])
def referral_detail(request, referral_id):
    """The record at a glance (issue 16 item 8): a summary with "Change" links to the edit form
    for those who may update it; read-only for everyone else."""
    access = request.register_access
    if request.method == "POST":
        return _referral_update(request, access, referral_id, template="referrals/referral/edit.html")
    referral = referral_for_access(access=access, referral_id=referral_id, request=request, action="view")
    questions = _questions(access.register, active_only=False)
    edit_url = summary.edit_url_for(referral) if access.may_update(referral) else None
    last_outcome = referral_last_outcome(referral=referral) if access.can_administer else None
    _viewed(request, access, referral, "record")
    return _page(
        request,
        "referrals/referral/detail.html",
        access,
        referral,
        "referrals:detail",
        register=access.register,
        edit_url=edit_url,
        glance=summary.glance_rows(referral, last_outcome, edit_url=edit_url, show_outcome=access.can_administer),
        rows=summary.answer_rows(referral, questions, edit_url=edit_url, field_name=ReferralForm.question_field_name),
    )


@register_role_required(*ANY_REGISTER_ROLE)
@require_http_methods(["GET", "POST"])
def referral_edit(request, referral_id):
    """The edit form the summary's "Change" links open (each at its question)."""
    access = request.register_access
    if request.method == "POST":
        return _referral_update(request, access, referral_id, template="referrals/referral/edit.html")
    referral = referral_for_access(access=access, referral_id=referral_id, request=request, action="update")
    form = _update_form(request, access, referral)
    if form is None or referral.is_archived:
        if referral.is_archived:
            messages.error(request, f"{referral.full_name}'s record is archived, so it cannot be changed.")
        else:
            messages.error(request, "You can read this referral but not change it.")
        return redirect("referrals:detail", referral_id=referral.public_id)
    _viewed(request, access, referral, "edit form")
    return _page(
        request,
        "referrals/referral/edit.html",
        access,
        referral,
        "referrals:detail",
        form=form,
        register=access.register,
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
