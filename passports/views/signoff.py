"""P8 sign-off: the learner's request page and the educator's decision page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from centres.roles import Permission
from core.decorators import centre_required, permission_required
from core.forms import form_add_service_error
from passports.access import passport_access_for
from passports.forms import SignOffDecisionForm, SignOffRequestForm
from passports.models import SignOff
from passports.selectors import supervisor as selectors
from passports.services.errors import PassportError
from passports.services.signoff import (
    signoff_decide,
    signoff_request,
    signoff_withdraw,
    unconfirmed_required_count,
)
from submissions.tokens import once_per_submission


@centre_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def signoff(request, enrolment_id):
    """The learner's own sign-off page: ask an educator, or see what is missing; history."""
    enrolment = selectors.learner_enrolment(centre=request.centre, user=request.user, public_id=enrolment_id)
    if enrolment is None:
        raise Http404("No enrolment of yours with that id at this centre")
    missing = unconfirmed_required_count(enrolment=enrolment)
    open_request = selectors.open_sign_off(enrolment=enrolment)
    educators = selectors.signoff_educators(enrolment=enrolment)
    can_request = not missing and not enrolment.is_locked and open_request is None and bool(educators)
    form = SignOffRequestForm(request.POST if request.method == "POST" else None, educators=educators)
    if request.method == "POST" and "withdraw" in request.POST:
        if open_request is not None:
            try:
                signoff_withdraw(sign_off=open_request, actor=request.user, http_request=request)
            except PassportError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Your sign-off request has been withdrawn.")
        return redirect("passports:signoff", enrolment_id=enrolment.public_id)
    if request.method == "POST":
        if not can_request:
            messages.error(request, "You cannot ask for sign-off now. This page says why.")
            return redirect("passports:signoff", enrolment_id=enrolment.public_id)
        if form.is_valid():
            try:
                signoff_request(
                    enrolment=enrolment,
                    educator=form.chosen(),
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                    http_request=request,
                )
            except PassportError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, f"{form.chosen().get_full_name()} has been asked to sign off your passport.")
                return redirect("passports:signoff", enrolment_id=enrolment.public_id)
    context = {
        "form": form,
        "enrolment": enrolment,
        "missing": missing,
        "open_request": open_request,
        "educators": educators,
        "can_request": can_request,
        "history": selectors.sign_off_history(enrolment=enrolment),
        "certificate": selectors.current_certificate(enrolment=enrolment) if enrolment.is_locked else None,
    }
    return render(request, "passports/signoff/learner.html", context, status=400 if form.errors else 200)


@permission_required(Permission.ASSESS)
@require_http_methods(["GET", "POST"])
def supervise_signoff(request, signoff_id):
    """The educator asked signs off or declines; others who can see the learner read it."""
    access = passport_access_for(request)
    sign_off = access.sign_off(signoff_id)
    if sign_off is None:
        raise Http404("No sign-off request with that id for you at this centre")
    enrolment = sign_off.enrolment
    can_act = (
        sign_off.educator_id == request.user.pk and sign_off.status == SignOff.Status.REQUESTED and access.can_sign_off
    )
    form = SignOffDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_act:
            messages.error(request, "Only the educator this request was sent to can answer it.")
            return redirect("passports:supervise_signoff", signoff_id=sign_off.public_id)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "sign_off"
            try:
                certificate = signoff_decide(
                    sign_off=sign_off,
                    approve=approve,
                    comment=form.cleaned_data["comment"],
                    actor=request.user,
                    http_request=request,
                )
            except PassportError as error:
                form_add_service_error(form, error)
            else:
                name = enrolment.membership.user.get_full_name()
                if approve:
                    messages.success(
                        request, f"You signed off {name}'s passport. Certificate {certificate.code} has been issued."
                    )
                else:
                    messages.success(request, f"You declined to sign off {name}'s passport. They have been emailed.")
                return redirect("passports:supervise_enrolment", enrolment_id=enrolment.public_id)
    context = {
        "form": form,
        "sign_off": sign_off,
        "enrolment": enrolment,
        "learner": enrolment.membership.user,
        "missing": unconfirmed_required_count(enrolment=enrolment),
        "can_act": can_act,
    }
    return render(request, "passports/signoff/decide.html", context, status=400 if form.errors else 200)
