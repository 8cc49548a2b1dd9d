"""/verify/: public certificate verification (P9), no login."""

from django.urls import path

from passports.views import verify

app_name = "verify"

urlpatterns = [
    path("", verify.verify_form, name="form"),
    path("<str:verification_code>/", verify.verify_certificate, name="certificate"),
]
