"""/verify/: the public certificate check (no login), for every certificate kind."""

from django.urls import path

from reporting import verify

app_name = "verify"

urlpatterns = [
    path("", verify.verify_form, name="form"),
    path("<str:verification_code>/", verify.verify_certificate, name="certificate"),
]
