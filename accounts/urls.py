from allauth.socialaccount import views as socialaccount_views
from django.urls import include, path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("locked/", views.account_locked, name="account_locked"),
    path("email/", views.account_email_redirect, name="account_email"),
    path("2fa/", include("allauth.mfa.urls")),  # ADR 0018: authenticator app, recovery codes
    path("", include("allauth.account.urls")),
    # NHSmail sign-in (ADR 0034): allauth's OpenID Connect login and callback at
    # /accounts/oidc/nhsmail/login/(callback/), and the page a cancelled one ends on. Not its sign-up or
    # "connected accounts" pages: accounts are never created or managed through a provider.
    path("oidc/nhsmail/login/", views.nhsmail_login, name="nhsmail_login"),
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("3rdparty/login/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
]
