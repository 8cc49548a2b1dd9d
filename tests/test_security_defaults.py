"""ADR 0030: secure by default. Every response carries the Content-Security-Policy (scripts,
styles, images and forms from this site only; no inline script or style); pages are private
unless their view says @login_not_required, and the public ones are listed here, so a new
public page fails this test until someone decides it belongs in the list."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, path, reverse

from config.urls import urlpatterns as project_urlpatterns
from conftest import ALL_ROLES
from tests.factories import CentreFactory, MembershipFactory

ROOT = Path(settings.BASE_DIR)

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def policy_of(response) -> dict[str, set[str]]:
    """The response's Content-Security-Policy header as {directive: sources}."""
    directives = (part.split() for part in response.get("Content-Security-Policy", "").split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


# Every URL name an anonymous visitor may open, with why. allauth marks its own views.
PUBLIC_URL_NAMES = {
    # Signing in and everything before it (allauth's views and ours).
    "account_login": "the login page",
    "account_logout": "logging out ends at a page anyone may see",
    "account_signup": "allauth's sign-up (closed: the adapter refuses; people join through a centre)",
    "account_inactive": "allauth: an inactive account's explanation",
    "account_email_verification_sent": "allauth: 'check your email' after sign-up",
    "account_confirm_email": "allauth: the link in a verification email",
    "account_confirm_login_code": "allauth: login by code (off)",
    "account_reset_password": "password reset: ask for a link",
    "account_reset_password_done": "password reset: link sent",
    "account_reset_password_from_key": "password reset: the link in the email",
    "account_reset_password_from_key_done": "password reset: done",
    "account_locked": "what to do about a locked account (says nothing about any account)",
    "mfa_authenticate": "the second step of logging in",
    # NHSmail sign-in (ADR 0034): 404 unless configured; only existing @nhs.net accounts get in.
    "nhsmail_login": "NHSmail sign-in: the page that continues to NHSmail (404 when not configured)",
    "openid_connect_login": "allauth's OpenID Connect start (only the configured `nhsmail` app; others 404)",
    "openid_connect_callback": "where the provider sends people back to finish the sign-in",
    "socialaccount_login_cancelled": "allauth: an NHSmail sign-in the person cancelled",
    "admin:login": "Django admin's login (redirects to ours)",
    "admin_login_redirect": "the admin's login URL, sent on to ours",
    # Joining a centre or a register.
    "register_choose_centre": "self-registration: choose a centre",
    "register": "self-registration at a centre",
    "register_done": "self-registration: check your email",
    "welcome": "the welcome link: set a password",
    "welcome_new_link": "an expired welcome link asks for a new one",
    "referrals:signup": "a register's public sign-up page",
    "referrals:signup_done": "a register's sign-up: check your email",
    # Public information.
    "directory:list": "Find your centre",
    "directory:detail": "a centre's public details",
    "help": "the help page",
    "verify:form": "certificate verification: enter a code",
    "verify:certificate": "certificate verification: one certificate's public summary",
    "verify:credential": "digital credential check: a pasted VC-JWT's public summary (S8)",
    "jwks": "the public keys that verify our verifiable credentials (S8, ADR 0040)",
    "health": "the load balancer's health check (no personal data)",
    # E2 care-record invitations: the emailed link's secret is the permission (ADR 0036).
    "elearning:invitation": "an eLearning invitation link: see who invited you where",
    "elearning:invitation_reject": "an eLearning invitation link: reject it with a reason",
    "elearning:invitation_accept": "an eLearning invitation link: confirm your details to accept",
    "elearning:invitation_account": "an eLearning invitation link: set a password, log in or use NHSmail",
}


def _views(resolver: URLResolver | None = None, namespace: str = ""):
    """(URL name, view) for every pattern in the project."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or '?'}", entry.callback


def test_every_public_page_is_listed():
    """A view without @login_not_required is private; this lists the ones with it."""
    public = {name for name, view in _views() if not getattr(view, "login_required", True)}
    assert public == set(PUBLIC_URL_NAMES), (
        "Public pages changed. Is the new page meant to be open to anyone? Then list it in "
        f"PUBLIC_URL_NAMES with the reason. Unlisted: {sorted(public - set(PUBLIC_URL_NAMES))}; "
        f"listed but private: {sorted(set(PUBLIC_URL_NAMES) - public)}"
    )


def test_login_required_by_default_is_on():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def private_probe(request):
    return HttpResponse("private")


urlpatterns = [*project_urlpatterns, path("guard-private-probe/", private_probe, name="guard_private_probe")]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_view_without_login_not_required_redirects_anonymous_visitors_to_login(client, login_as):
    response = client.get("/guard-private-probe/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/guard-private-probe/"
    member = MembershipFactory()
    login_as(member.user, member.centre)
    assert client.get("/guard-private-probe/").content == b"private"


def _pages_without_arguments() -> list[tuple[str, str]]:
    pages = []
    for name, _view in _views():
        if name.endswith("?") or name.startswith("admin:") or name == "account_logout":
            continue
        try:
            pages.append((name, reverse(name)))
        except NoReverseMatch:  # needs arguments: the isolation walk covers it
            continue
    return pages


@pytest.mark.django_db
def test_anonymous_visitors_reach_only_the_public_pages(client):
    for name, url in _pages_without_arguments():
        response = client.get(url)
        assert policy_of(response) == POLICY, url
        # LoginRequiredMiddleware's answer: to the login page, to come back here.
        login_redirect = (
            response.status_code == 302 and response["Location"] == f"{reverse('account_login')}?next={url}"
        )
        if name in PUBLIC_URL_NAMES:
            assert not login_redirect, f"{url} is public but sends anonymous visitors to log in"
        else:
            assert login_redirect, f"{url} ({name}) answered {response.status_code} to an anonymous visitor"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.value if role else "learner")
def test_every_page_carries_the_policy_for_every_role(client, login_as, role):
    member = MembershipFactory(centre=CentreFactory(), role=role)
    login_as(member.user, member.centre)
    for _, url in _pages_without_arguments():
        response = client.get(url)
        assert policy_of(response) == POLICY, url
        html = response.content.decode(errors="replace")
        # Our pages (/health/'s HTML is django-health-check's: the policy leaves it unstyled).
        if response.status_code == 200 and "nhsuk-header" in html:
            assert not INLINE_SCRIPT.search(html), f"{url} has an inline script"
            assert not INLINE_STYLE.search(html), f"{url} has an inline style"


def test_the_policy_names_no_other_origin():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    sources = {source for values in directives.values() for source in values}
    assert sources <= {"'self'", "'none'", "data:"}


# Templates served to a browser (emails keep inline styles for mail clients; the PDF templates
# go to WeasyPrint, not a browser).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
NOT_SERVED = re.compile(r"/emails?/|_pdf|/pdf/|_message\.html$")


def _browser_templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/jinja2")]
    found = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".jinja")]
    return [p for p in found if not NOT_SERVED.search(p.relative_to(ROOT).as_posix())]


def test_templates_have_no_inline_script_or_style():
    templates = _browser_templates()
    assert len(templates) > 50
    problems = [
        str(template.relative_to(ROOT))
        for template in templates
        if INLINE_SCRIPT.search(text := template.read_text()) or INLINE_STYLE.search(text)
    ]
    assert problems == []
