from django.urls import include, path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="account_login"),
    path("locked/", views.account_locked, name="account_locked"),
    path("email/", views.account_email_redirect, name="account_email"),
    path("2fa/", include("allauth.mfa.urls")),  # ADR 0018: authenticator app, recovery codes
    path("", include("allauth.account.urls")),
]
