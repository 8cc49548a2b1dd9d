"""P9 public certificate verification (no login): `/verify/` and `/verify/<code>/`.

Shows only the learner's name, the framework, the sign-off date, the centre's name and
whether the certificate is valid. Lightly rate-limited per client address, so codes cannot
be guessed in bulk."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.ratelimit import rate_limited
from passports.certificates import certificate_for_code, certificate_public_summary
from passports.forms import VerifyForm

RATE_LIMIT = 30  # look-ups per client address per minute
RATE_WINDOW = 60


def _rate_limited(request) -> bool:
    return rate_limited(request, scope="passports:verify", limit=RATE_LIMIT, window=RATE_WINDOW)


def _too_many(request):
    return render(request, "errors/429.html", status=429)


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the code is in the URL
    return response


@login_not_required
@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET:
        if _rate_limited(request):
            return _too_many(request)
        if form.is_valid():
            return redirect("verify:certificate", verification_code=form.cleaned_data["code"])
    return _public(render(request, "passports/verify/form.html", {"form": form}, status=400 if form.errors else 200))


@login_not_required
@require_GET
def verify_certificate(request, verification_code):
    if _rate_limited(request):
        return _too_many(request)
    certificate = certificate_for_code(code=verification_code)
    if certificate is None:
        form = VerifyForm()
        context = {"form": form, "code": verification_code[:40]}
        return _public(render(request, "passports/verify/not_found.html", context, status=404))
    context = {"summary": certificate_public_summary(certificate)}
    return _public(render(request, "passports/verify/result.html", context))
