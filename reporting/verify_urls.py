"""/verify/: the public certificate check (no login), for every certificate kind, and the
check of a pasted digital credential."""

from django.urls import path

from reporting import verify

app_name = "verify"

urlpatterns = [
    path("", verify.verify_form, name="form"),
    # Before the code pattern: "credential" is not a code (codes have no I or L).
    path("credential/", verify.verify_credential, name="credential"),
    path("<str:verification_code>/", verify.verify_certificate, name="certificate"),
]
