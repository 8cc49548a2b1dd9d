"""E2 the invitee's link `/elearning/invitation/<token>/` (public: the secret is the
permission; ADR 0036): see the invitation, reject it with a reason, or accept: confirm the
details, then set a password, log in to the account that already uses the email, or use
NHSmail. Links that cannot be used get a clear page and write nothing."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.nhsmail import is_nhsmail_address, nhsmail_configured, nhsmail_login_url
from accounts.ratelimit import rate_limited
from centres.middleware import SESSION_KEY as CENTRE_SESSION_KEY
from centres.ownership import email_owner_id
from core.forms import form_add_service_error
from elearning.forms.invitations import ConfirmDetailsForm, InvitationPasswordForm, RejectForm
from elearning.services.invitations import InvitationError
from elearning.services.invitations_response import (
    STATE_MESSAGES,
    InvitationDetails,
    LinkState,
    invitation_accept,
    invitation_accept_with_password,
    invitation_by_token,
    invitation_nhsmail_account_prepare,
    invitation_reject,
    is_invitee,
)

ANSWER_RATE_LIMIT = 20  # answers (reject, accept, password) per client address per minute
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def dashboard_url() -> str:
    """Where an accepted invitee goes: the eLearning dashboard (E1)."""
    return reverse("elearning:dashboard")


def _details_key(invitation) -> str:
    return f"elearning_invitation_details:{invitation.public_id}"


def _unusable(request, state: LinkState):
    status = 404 if state == LinkState.UNKNOWN else 410
    context = {"state": state.value, "title": STATE_MESSAGES[state]}
    return render(request, "elearning/invitations/public/unusable.html", context, status=status)


def _wrong_account(request, invitation):
    return render(request, "elearning/invitations/public/wrong_account.html", {"invitation": invitation}, status=403)


def _too_many(request):
    return render(request, "errors/429.html", status=429)


def _valid(token):
    invitation, state = invitation_by_token(token)
    return (invitation if state == LinkState.VALID else None), state


@login_not_required
@require_GET
def invitation(request, token):
    found, state = _valid(token)
    if found is None:
        return _unusable(request, state)
    context = {
        "invitation": found,
        "site": found.centre,
        "token": token,
        "wrong_account": request.user.is_authenticated and not is_invitee(invitation=found, user=request.user),
    }
    return render(request, "elearning/invitations/public/invitation.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_reject_view(request, token):
    found, state = _valid(token)
    if found is None:
        return _unusable(request, state)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if rate_limited(request, scope="elearning:invitation_answer", limit=ANSWER_RATE_LIMIT):
            return _too_many(request)
        if form.is_valid():
            try:
                invitation_reject(invitation=found, reason=form.cleaned_data["reason"], request=request)
            except InvitationError as error:
                form_add_service_error(form, error, field="reason")
            else:
                return render(request, "elearning/invitations/public/rejected.html", {"site": found.centre})
    context = {"invitation": found, "site": found.centre, "token": token, "form": form}
    return render(request, "elearning/invitations/public/reject.html", context, status=400 if form.errors else 200)


def _signed_in_at(request, site) -> None:
    request.session[CENTRE_SESSION_KEY] = site.pk


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """Confirm your details. A signed-in invitee accepts here; anyone else goes on to choose
    how to sign in, with their details kept in the session."""
    found, state = _valid(token)
    if found is None:
        return _unusable(request, state)
    signed_in = request.user.is_authenticated
    if signed_in and not is_invitee(invitation=found, user=request.user):
        return _wrong_account(request, found)
    saved = request.session.get(_details_key(found))
    form = ConfirmDetailsForm(
        request.POST if request.method == "POST" else None, initial=ConfirmDetailsForm.initial_from(found, saved)
    )
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, scope="elearning:invitation_answer", limit=ANSWER_RATE_LIMIT):
            return _too_many(request)
        if not signed_in:
            request.session[_details_key(found)] = form.cleaned_data
            return redirect("elearning:invitation_account", token=token)
        try:
            invitation_accept(invitation=found, user=request.user, details=form.details(), request=request)
        except InvitationError as error:
            form_add_service_error(form, error)
        else:
            request.session.pop(_details_key(found), None)
            _signed_in_at(request, found.centre)
            messages.success(request, f"You have joined {found.centre.name}. Complete the eLearning modules next.")
            return redirect(dashboard_url())
    context = {"invitation": found, "site": found.centre, "token": token, "form": form, "signed_in": signed_in}
    return render(request, "elearning/invitations/public/confirm.html", context, status=400 if form.errors else 200)


def _nhsmail_offered(invitation) -> bool:
    return nhsmail_configured() and is_nhsmail_address(invitation.email)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_account(request, token):
    """Set a password (no account uses the email), log in to the account that does, or use
    NHSmail. Comes after "Confirm your details"."""
    found, state = _valid(token)
    if found is None:
        return _unusable(request, state)
    if request.user.is_authenticated:
        if not is_invitee(invitation=found, user=request.user):
            return _wrong_account(request, found)
        return redirect("elearning:invitation_accept", token=token)
    saved = request.session.get(_details_key(found))
    if not saved:
        return redirect("elearning:invitation_accept", token=token)
    details = InvitationDetails(**saved)
    accept_path = reverse("elearning:invitation_accept", kwargs={"token": token})
    context = {
        "invitation": found,
        "site": found.centre,
        "token": token,
        "nhsmail": _nhsmail_offered(found),
        "nhsmail_url": nhsmail_login_url(accept_path),
        "login_url": f"{reverse('account_login')}?next={accept_path}",
    }
    if email_owner_id(found.email) is not None:
        return render(request, "elearning/invitations/public/log_in.html", context)
    form = InvitationPasswordForm(
        request.POST if request.method == "POST" and "password1" in request.POST else None,
        invitation=found,
        first_name=details.first_name,
        last_name=details.last_name,
    )
    if request.method == "POST":
        if rate_limited(request, scope="elearning:invitation_answer", limit=ANSWER_RATE_LIMIT):
            return _too_many(request)
        if request.POST.get("method") == "nhsmail" and context["nhsmail"]:
            try:
                invitation_nhsmail_account_prepare(invitation=found, details=details)
            except InvitationError as error:
                messages.error(request, str(error))
                return redirect("elearning:invitation", token=token)
            return redirect(context["nhsmail_url"])
        if form.is_valid():
            try:
                user, _staff = invitation_accept_with_password(
                    invitation=found, details=details, password=form.cleaned_data["password1"], request=request
                )
            except InvitationError as error:
                form_add_service_error(form, error)
            else:
                login(request, user, backend=LOGIN_BACKEND)
                _signed_in_at(request, found.centre)
                messages.success(request, f"You have joined {found.centre.name}. Complete the eLearning modules next.")
                return redirect(dashboard_url())
    context["form"] = form
    return render(
        request, "elearning/invitations/public/password.html", context, status=400 if form.errors else 200
    )
