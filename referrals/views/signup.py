"""R1: the register's public sign-up page. An allow-listed email domain gets a referrer
account at once (a set-password link by email); any other domain is told who to ask."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ratelimit import rate_limited, too_many_requests
from core.forms import form_add_service_error
from referrals.forms.signup import SignupForm
from referrals.models import Register
from referrals.services.signup import (
    SignupError,
    register_signup,
    register_signup_accept,
    signup_accept_organisation,
    signup_organisation,
)
from submissions.tokens import once_per_submission

SIGNUP_RATE_LIMIT = 20  # sign-up posts per client address per minute (allauth's own default)


def _register_or_404(slug: str) -> Register:
    return get_object_or_404(Register, slug=slug)  # platform data: a register's name is public


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def signup(request, register_slug):
    register = _register_or_404(register_slug)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if rate_limited(request, scope="referrals:signup", limit=SIGNUP_RATE_LIMIT):
            return too_many_requests(request)
        if form.is_valid():
            organisation = signup_organisation(register=register, email=form.cleaned_data["email"])
            if organisation is None:
                return render(
                    request,
                    "referrals/signup/not_listed.html",
                    {"register": register, "email": form.cleaned_data["email"]},
                )
            register_signup(
                register=register,
                organisation=organisation,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                request=request,
            )
            return redirect("referrals:signup_done", register_slug=register.slug)
    context = {"register": register, "form": form}
    return render(request, "referrals/signup/signup.html", context, status=400 if form.errors else 200)


@login_not_required
@require_GET
def signup_done(request, register_slug):
    register = _register_or_404(register_slug)
    return render(request, "referrals/signup/done.html", {"register": register})


@login_required
@require_http_methods(["GET", "POST"])
def signup_accept(request, register_slug, token):
    """The owner of an existing account, logged in, accepts the join link emailed to them.
    A link for someone else, expired or altered is 404."""
    register = _register_or_404(register_slug)
    organisation = signup_accept_organisation(register=register, token=token, user=request.user)
    if organisation is None:
        raise Http404("No such join link")
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            register_signup_accept(register=register, organisation=organisation, user=request.user, request=request)
        except SignupError as refused:
            form_add_service_error(form, refused)
        else:
            messages.success(request, f"You have joined {register.name} at {organisation.name}.")
            return redirect("home")
    context = {"register": register, "organisation": organisation, "form": form}
    return render(request, "referrals/signup/accept.html", context, status=400 if form.errors else 200)
