"""The public certificate check (no login): `/verify/` and `/verify/<code>/`, for every
certificate kind (`reporting.certificates`), and `/verify/credential/` for a pasted digital
credential, for every token verifier (`reporting.verifiers`).

Shows only what the certificate's kind (or the token's verifier) describes publicly and whether
it is valid. Lightly rate-limited per client address, so codes cannot be guessed in bulk."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ratelimit import rate_limited
from reporting.certificates import certificate_code_normalise, certificate_verify
from reporting.verifiers import TOKEN_MAX_LENGTH, TokenStatus, token_normalise, token_verify

RATE_LIMIT = 30  # look-ups per client address per minute
RATE_WINDOW = 60
RATE_SCOPE = "passports:verify"  # the counter's name: kept, so a deployment's counts carry on


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        help_text="It is printed on the certificate, for example 7KQ4-M2XD-9PRT",
        max_length=40,
        error_messages={
            "required": "Enter the verification code from the certificate",
            "max_length": "Enter the code as it is printed on the certificate, for example 7KQ4-M2XD-9PRT",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = certificate_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                "Enter the code as it is printed on the certificate: letters and numbers, for example 7KQ4-M2XD-9PRT"
            )
        return code


class CredentialForm(forms.Form):
    credential = forms.CharField(
        label="Digital credential",
        help_text="Paste the whole credential: a long line of letters, numbers, dots, dashes and underscores",
        max_length=TOKEN_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Paste the digital credential you want to check",
            "max_length": "This is longer than any credential we issue: check you pasted only the credential",
        },
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_credential(self) -> str:
        token = token_normalise(self.cleaned_data["credential"])
        if not token:
            raise forms.ValidationError("Paste the digital credential you want to check")
        return token


def _rate_limited(request) -> bool:
    return rate_limited(request, scope=RATE_SCOPE, limit=RATE_LIMIT, window=RATE_WINDOW)


def _too_many(request):
    return render(request, "errors/429.html", status=429)


def _public(response, *, referrer_policy: str = "no-referrer"):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = referrer_policy  # the code is in the URL
    return response


def _public_with_post_form(response):
    """A page with the credential form: "same-origin" still keeps the URL from every other
    site, and the browser then sends the form's Origin (with "no-referrer" it sends
    `Origin: null`, which the CSRF check refuses)."""
    return _public(response, referrer_policy="same-origin")


@login_not_required
@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET:
        if _rate_limited(request):
            return _too_many(request)
        if form.is_valid():
            return redirect("verify:certificate", verification_code=form.cleaned_data["code"])
    context = {"form": form, "credential_form": CredentialForm()}
    status = 400 if form.errors else 200
    return _public_with_post_form(render(request, "reporting/verify/form.html", context, status=status))


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_credential(request):
    """Check a pasted digital credential. POST, so the credential never sits in a URL or a
    server log; GET shows the same page as /verify/."""
    if request.method == "GET":
        return verify_form(request)
    if _rate_limited(request):
        return _too_many(request)
    form = CredentialForm(request.POST)
    if not form.is_valid():
        context = {"form": VerifyForm(), "credential_form": form}
        return _public_with_post_form(render(request, "reporting/verify/form.html", context, status=400))
    verdict = token_verify(token=form.cleaned_data["credential"])
    context = {"verdict": verdict, "statuses": TokenStatus}
    return _public(render(request, "reporting/verify/credential_result.html", context))


@login_not_required
@require_GET
def verify_certificate(request, verification_code):
    if _rate_limited(request):
        return _too_many(request)
    certificate = certificate_verify(code=verification_code)
    if certificate is None:
        context = {"form": VerifyForm(), "code": verification_code[:40]}
        return _public(render(request, "reporting/verify/not_found.html", context, status=404))
    return _public(render(request, "reporting/verify/result.html", {"certificate": certificate}))
