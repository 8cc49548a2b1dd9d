"""allauth hooks: lockout after wrong passwords, unlock on a new password, emails through
the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from accounts import services
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

    def get_password_change_redirect_url(self, request) -> str:
        return "/"

    def set_password(self, user, password: str) -> None:
        services.user_set_password(user=user, password=password, request=self.request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from notifications.services import email_send

        request = self.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        email_send(to=[email], template=template_prefix, context=context)
