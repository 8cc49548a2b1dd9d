"""Joining a centre: self-registration (C2), approvals (C3), registration by the centre and
welcome emails (C4)."""

import contextlib
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.ratelimit import rate_limited
from centres import mass_actions
from centres.forms.registration import (
    ChooseRegistrationCentreForm,
    DelegateDetailsForm,
    RegisterByCentreForm,
    RejectForm,
    SelfRegistrationForm,
    WelcomePasswordForm,
)
from centres.middleware import centre_select
from centres.models import Centre, Membership
from centres.roles import Permission
from centres.selectors.memberships import membership_registered_in_session
from centres.services.errors import CentreServiceError
from centres.services.registration import delegate_register_by_centre, self_registration_create
from centres.services.registration import registration_approve as registration_approve_service
from centres.services.registration import registration_reject as registration_reject_service
from centres.services.welcome import (
    welcome_link_find,
    welcome_link_resend,
    welcome_link_send,
    welcome_link_state,
    welcome_link_use,
    welcome_links_send,
)
from core.decorators import permission_required
from core.forms import form_add_service_error
from submissions.tokens import once_per_submission

REGISTERED_SESSION_KEY = "registered_membership"
# Finding 7/9: public pages that write or email are limited per client address.
REGISTER_RATE_LIMIT = 10  # registration posts per address per minute
WELCOME_RESEND_RATE_LIMIT = 3  # "send me a new link" posts per address per 10 minutes
WELCOME_RESEND_WINDOW = 600


def _too_many(request):
    return render(request, "errors/429.html", status=429)


def _listed_centres():
    """Centres that take self-registrations: active and listed in Find your centre."""
    return Centre.objects.filter(is_active=True, show_in_directory=True).order_by("name")


LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@login_not_required
@require_http_methods(["GET", "POST"])
def register_choose_centre(request):
    form = ChooseRegistrationCentreForm(request.POST if request.method == "POST" else None, centres=_listed_centres())
    if request.method == "POST" and form.is_valid():
        return redirect("register", code=form.cleaned_data["centre"])
    return render(
        request, "centres/registration/choose_centre.html", {"form": form}, status=400 if form.errors else 200
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def register(request, code):
    centre = get_object_or_404(_listed_centres(), code__iexact=code)
    data = request.POST if request.method == "POST" else None
    signed_in = request.user.is_authenticated
    form = DelegateDetailsForm(data, centre=centre) if signed_in else SelfRegistrationForm(data, centre=centre)
    if request.method == "POST" and rate_limited(request, scope="centres:register", limit=REGISTER_RATE_LIMIT):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        person = (
            {}
            if signed_in
            else {
                "email": form.cleaned_data["email"],
                "first_name": form.cleaned_data["first_name"],
                "last_name": form.cleaned_data["last_name"],
                "password": form.cleaned_data["password1"],
            }
        )
        try:
            membership = self_registration_create(
                centre=centre,
                details=form.details(),
                request=request,
                user=request.user if signed_in else None,
                **person,
            )
        except CentreServiceError as error:
            form_add_service_error(form, error)
        else:
            # A visitor whose email an account uses gets the same redirect and page as a new
            # person (nothing is written; the owner is emailed), so the page reveals nothing.
            request.session[REGISTERED_SESSION_KEY] = str(membership.public_id) if membership else ""
            return redirect("register_done")
    context = {"form": form, "registering_centre": centre, "signed_in": signed_in}
    return render(request, "centres/registration/register.html", context, status=400 if form.errors else 200)


@login_not_required
@require_GET
def register_done(request):
    """A logged-in person sees the delegate number of the registration they made in this
    session; a visitor always sees "check your email" (whether their email was new or an
    account's: finding 7), and finds the number on their dashboard after logging in."""
    if REGISTERED_SESSION_KEY not in request.session:
        return redirect("register_choose_centre")
    if not request.user.is_authenticated:
        return render(request, "centres/registration/check_email.html", {})
    membership = membership_registered_in_session(public_id=request.session.get(REGISTERED_SESSION_KEY))
    if membership is None:
        return redirect("register_choose_centre")
    return render(request, "centres/registration/done.html", {"membership": membership})


@login_not_required
@require_http_methods(["GET", "POST"])
def welcome(request, token):
    """C4: the "Verify your registration" link: set a password, once, within a month."""
    link = welcome_link_find(token=token)
    state = welcome_link_state(link)
    if state != "valid":
        return render(
            request,
            "centres/registration/welcome_invalid.html",
            {"state": state, "token": token},
            status=410 if state != "unknown" else 404,
        )
    user = link.membership.user
    form = WelcomePasswordForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            membership = welcome_link_use(token=token, password=form.cleaned_data["password1"], request=request)
        except CentreServiceError:
            return redirect("welcome", token=token)
        # The link proved the address and the person chose the password: sign them in at the
        # centre that registered them (issue 16 item 10), as any login would be recorded.
        if membership.user.locked_at is not None or not membership.user.is_active:
            messages.success(request, "Your password is set. Log in with your email address or delegate number.")
            return redirect("account_login")  # the login page explains a locked account
        login(request, membership.user, backend=LOGIN_BACKEND)
        centre_select(request, membership.centre)
        messages.success(
            request,
            f"Your password is set and you are logged in. Next time, log in with your email address or "
            f"delegate number ({membership.delegate_number}).",
        )
        return redirect("home")
    context = {"form": form, "membership": link.membership}
    return render(request, "centres/registration/welcome.html", context, status=400 if form.errors else 200)


@login_not_required
@require_POST
def welcome_new_link(request, token):
    """An expired link can ask for a fresh one (sent to the registered address only), once:
    only the newest link may ask, and posts are limited per address (finding 9). The page
    is the same whether or not an email went."""
    if rate_limited(
        request, scope="centres:welcome_new_link", limit=WELCOME_RESEND_RATE_LIMIT, window=WELCOME_RESEND_WINDOW
    ):
        return _too_many(request)
    link = welcome_link_find(token=token)
    if welcome_link_state(link) != "expired" or link.membership.user.has_usable_password():
        return redirect("welcome", token=token)
    # A newer link was already sent (CentreServiceError): say the same, send nothing more.
    with contextlib.suppress(CentreServiceError):
        welcome_link_resend(link=link, request=request)
    return render(request, "centres/registration/welcome_resent.html", {})


# --- centre side -------------------------------------------------------------------------


def _pending(request):
    return mass_actions.pending_registrations(centre=request.centre)


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def registrations(request):
    page = Paginator(_pending(request), 50).get_page(request.GET.get("page"))
    return render(request, "centres/registration/approvals.html", {"page": page})


@permission_required(Permission.MANAGE_DELEGATES)
@require_POST
def registration_approve(request, membership_id):
    membership = get_object_or_404(_pending(request), public_id=membership_id)
    registration_approve_service(membership=membership, approved_by=request.user, request=request)
    messages.success(request, f"{membership.user.get_full_name()} ({membership.delegate_number}) is approved.")
    return redirect("centres:registrations")


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def registration_reject(request, membership_id):
    membership = get_object_or_404(_pending(request), public_id=membership_id)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        registration_reject_service(
            membership=membership, rejected_by=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(
            request, f"The registration of {membership.user.get_full_name()} is rejected. They have been emailed."
        )
        return redirect("centres:registrations")
    context = {"form": form, "membership": membership}
    return render(request, "centres/registration/reject.html", context, status=400 if form.errors else 200)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def register_delegate(request):
    form = RegisterByCentreForm(request.POST if request.method == "POST" else None, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = delegate_register_by_centre(
                centre=request.centre,
                registered_by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                details=form.details(centre_email=data.get("centre_email") or ""),
                welcome=data["welcome"],
                welcome_date=form.welcome_datetime(),
                request=request,
            )
        except CentreServiceError as error:
            form_add_service_error(form, error, field="email")
        else:
            # The typed name, not the account's: registering an email must not reveal who owns it.
            messages.success(
                request,
                f"{data['first_name']} {data['last_name']} is registered with delegate number "
                f"{membership.delegate_number}.",
            )
            return redirect("centres:register_delegate")
    return render(
        request, "centres/registration/register_delegate.html", {"form": form}, status=400 if form.errors else 200
    )


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def welcome_emails(request):
    """C4 bulk resend: everyone who has not set a password, filterable, select all. The
    selected ones (a page) are sent here; "Send to all N" (those with no working link) is a
    check page, then the worker (centres.views.mass_actions)."""
    search = request.GET.get("q", "").strip()
    delegates = mass_actions.unclaimed_delegates(centre=request.centre, search=search)
    if request.method == "POST":
        if request.POST.get("all") == "yes":  # a page from before the check page
            return redirect(_with_search(reverse("centres:welcome_emails_all"), search))
        chosen = delegates.filter(public_id__in=_uuids(request.POST.getlist("delegate")))
        sent = welcome_links_send(memberships=chosen, sent_by=request.user, request=request)
        if sent:
            messages.success(request, f"Welcome email sent to {sent} delegate{'s' if sent != 1 else ''}.")
        else:
            messages.error(request, "Select at least one delegate to send the welcome email to.")
        return redirect(request.get_full_path())
    page = Paginator(delegates, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "waiting": mass_actions.welcome_waiting(centre=request.centre, search=search).count(),
        "send_all_url": _with_search(reverse("centres:welcome_emails_all"), search),
    }
    return render(request, "centres/registration/welcome_emails.html", context)


def _with_search(path: str, search: str) -> str:
    return f"{path}?{urlencode({'q': search})}" if search else path


def _uuids(values):
    valid = []
    for value in values:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return valid


@permission_required(Permission.MANAGE_DELEGATES)
@require_POST
@once_per_submission
def welcome_email_send(request, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_centre(request.centre).select_related("user"), public_id=membership_id
    )
    try:
        welcome_link_send(membership=membership, sent_by=request.user, request=request)
    except CentreServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Welcome email sent to {membership.user.email}.")
    return redirect("centres:welcome_emails")
