from allauth.account.adapter import get_adapter
from allauth.account.views import LoginView as AllauthLoginView
from allauth.socialaccount.providers.openid_connect import views as openid_connect_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.nhsmail import PROVIDER_ID, nhsmail_configured
from accounts.ratelimit import rate_limited, too_many_requests

LOCKED_PAGE_RATE_LIMIT = 30  # views of /accounts/locked/ per client address per minute


class LoginView(AllauthLoginView):
    def get_context_data(self, **kwargs):
        # Seed 001: "Log in with NHSmail" (@nhs.net addresses only) when it is configured.
        return super().get_context_data(**kwargs) | {"nhsmail_configured": nhsmail_configured()}

    def form_invalid(self, form):
        if getattr(self.request, "account_locked", False):
            # Finding 7: a locked account answers exactly like a wrong password or an unknown
            # address, so the page never confirms that an account exists. The owner is emailed
            # when it locks (centres.receivers), with the way to unlock it.
            form.errors.clear()
            form.add_error(None, get_adapter(self.request).validation_error("email_password_mismatch"))
        return super().form_invalid(form)


@login_not_required
@require_GET
def account_locked(request):
    """What to do about a locked account. Says nothing about any particular account."""
    if rate_limited(request, scope="accounts:locked", limit=LOCKED_PAGE_RATE_LIMIT):
        return too_many_requests(request)
    return render(request, "accounts/locked.html", status=200)


@require_GET
def account_email_redirect(request):
    # One verified email per person: the email management page of allauth is not offered.
    return redirect("home")


@login_not_required
def nhsmail_login(request):
    """Start an NHSmail sign-in (allauth's OpenID Connect login for the `nhsmail` app). With
    NHSmail not configured, a 404 page that says so and offers the password login."""
    if not nhsmail_configured():
        return render(request, "accounts/nhsmail_unavailable.html", status=404)
    return openid_connect_views.login(request, provider_id=PROVIDER_ID)
