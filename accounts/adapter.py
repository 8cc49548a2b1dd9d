"""allauth hooks: lockout after wrong passwords, unlock on a new password, emails through
the outbox."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.contrib.auth.signals import user_login_failed
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from accounts import mail, services
from accounts.models import User
from accounts.net import client_ip


class AccountLockedError(ValidationError):
    pass


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "The email address or delegate number and password you entered do not match our records. "
            "Check them and try again. After 5 wrong passwords the account is locked."
        ),
        "enter_current_password": "Your current password is not correct. Enter the password you log in with now.",
        "too_many_login_attempts": "There have been too many attempts to log in. Wait a few minutes and try again.",
        "account_inactive": "This account is inactive. Contact the administrator at your centre.",
    }

    def is_open_for_signup(self, request) -> bool:
        # People join through their centre's registration pages, not an open sign-up form.
        return False

    def authenticate(self, request, **credentials):
        user = User.objects.filter(email__iexact=credentials.get("email", "")).first()
        if user is not None and user.is_locked:
            request.account_locked = True
            # A failed login too (audited), although the password was never checked.
            user_login_failed.send(
                sender=__name__, credentials={"email": user.email}, request=request, reason="account locked"
            )
            raise AccountLockedError("Your account is locked", code="account_locked")
        authenticated = super().authenticate(request, **credentials)
        if authenticated is not None:
            services.user_record_successful_login(user=authenticated)
        elif user is not None and services.user_record_failed_login(user=user, request=request):
            request.account_locked = True
            raise AccountLockedError("Your account is locked", code="account_locked")
        return authenticated

    def get_client_ip(self, request) -> str:
        # One trusted-proxy rule for the whole project (TRUSTED_PROXIES): allauth's rate limits
        # key on the same client address as the audit trail and registration, not the proxy's.
        return client_ip(request) or request.META.get("REMOTE_ADDR") or "unknown"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before second-factor changes unless the person
        re-authenticated lately; a password typed at login in the last few minutes counts too,
        so the set-up that follows a privileged login does not ask for it twice (ADR 0018)."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        request = allauth_context.request
        if request is None or not request.user.is_authenticated:
            return required
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        records = get_authentication_records(request, request.user)
        return not any(time.time() - record["at"] < timeout for record in records)

    def get_password_change_redirect_url(self, request) -> str:
        return "/"

    def set_password(self, user, password: str) -> None:
        services.user_set_password(user=user, password=password, request=self.request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = self.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        mail.mail_send(to=[email], template=template_prefix, context=context)
