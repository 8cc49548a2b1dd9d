"""S8 pages: a senior portal administrator downloads an issued credential (audited); anyone
checks a pasted one on /verify/, which answers in words whatever is pasted."""

import string
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centres.models import AuditEvent
from centres.roles import Role
from reporting.verify import RATE_LIMIT
from staffpassport.models import StaffCredential
from staffpassport.tests.vc_factories import staff_credential_build, staff_credential_revoke
from staffpassport.tests.vc_helpers import token_hs256, token_unsigned, token_with_claims
from staffpassport.vc.credentials import staff_credential_claims, staff_credential_vc_issue
from staffpassport.vc.keys import signing_key_active, signing_key_rotate
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return CentreFactory(code="RR8", name="Leeds Teaching Hospitals NHS Trust")


@pytest.fixture
def senior_admin(trust):
    return MembershipFactory(centre=trust, role=Role.SENIOR_PORTAL_ADMIN)


@pytest.fixture
def issued(trust):
    return staff_credential_build(trust, expires_on=date.today() + timedelta(days=365))


def page_url(staff_credential) -> str:
    return reverse("staffpassport:credential_vc", kwargs={"staff_credential_id": staff_credential.public_id})


def download_url(staff_credential) -> str:
    return reverse("staffpassport:credential_vc_download", kwargs={"staff_credential_id": staff_credential.public_id})


def check(client, token):
    return client.post(reverse("verify:credential"), {"credential": token})


def test_a_senior_administrator_downloads_an_issued_credential(client, login_as, senior_admin, issued):
    login_as(senior_admin.user, senior_admin.centre)
    page = client.get(page_url(issued))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Download verifiable credential" in html
    assert download_url(issued) in html
    response = client.get(download_url(issued))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert response["Content-Disposition"].startswith('attachment; filename="dbs-')
    assert "no-store" in response["Cache-Control"]
    token = response.content.decode()
    assert token.count(".") == 2
    event = AuditEvent.objects.get(action="staffpassport.vc_downloaded")
    assert (event.actor, event.centre, event.target_id) == (senior_admin.user, issued.centre, str(issued.public_id))
    # What was downloaded checks as valid by anyone.
    visitor = Client()
    result = check(visitor, token)
    assert result.status_code == 200
    assert "Valid credential" in result.content.decode()
    assert "Ada Lovelace" in result.content.decode()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (StaffCredential.Status.WAITING, "It is waiting to be issued"),
        (StaffCredential.Status.REJECTED, "It was rejected"),
        (StaffCredential.Status.REVOKED, "It was revoked on"),
    ],
)
def test_a_credential_not_issued_says_why_and_downloads_nothing(client, login_as, senior_admin, trust, status, words):
    staff_credential = staff_credential_build(trust, status=status)
    login_as(senior_admin.user, trust)
    page = client.get(page_url(staff_credential)).content.decode()
    assert "This credential cannot be downloaded" in page
    assert words in page
    assert "Download verifiable credential" not in page
    response = client.get(download_url(staff_credential))
    assert response.status_code == 302
    assert response["Location"] == page_url(staff_credential)
    assert not AuditEvent.objects.filter(action="staffpassport.vc_downloaded").exists()


@pytest.mark.parametrize("role", [None, Role.CENTRE_MANAGER, Role.ADMINISTRATOR, Role.AUTHORISER])
def test_only_senior_portal_administrators_may_download(client, login_as, trust, issued, role):
    member = MembershipFactory(centre=trust, role=role)
    login_as(member.user, trust)
    assert client.get(page_url(issued)).status_code == 403
    assert client.get(download_url(issued)).status_code == 403
    assert not AuditEvent.objects.filter(action="staffpassport.vc_downloaded").exists()


def test_another_trusts_credential_is_not_found(client, login_as, senior_admin):
    theirs = staff_credential_build(CentreFactory(name="Bravo Trust"), first_name="Bravissima")
    login_as(senior_admin.user, senior_admin.centre)
    for url in (page_url(theirs), download_url(theirs)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Bravissima" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="staffpassport.vc_downloaded").exists()


def test_a_visitor_is_sent_to_log_in(client, issued):
    response = client.get(download_url(issued))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# -- /verify/ -------------------------------------------------------------------------------


def test_the_verify_page_has_the_credential_form(client):
    html = client.get(reverse("verify:form")).content.decode()
    assert "Check a digital credential" in html
    assert 'action="/verify/credential/"' in html
    assert "<textarea" in html


def test_an_empty_paste_asks_for_one(client):
    response = client.post(reverse("verify:credential"), {"credential": "  \n "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Paste the digital credential you want to check" in html
    assert "<title>Error: Check a certificate" in html


def test_each_outcome_in_words(client, trust, issued):
    token = staff_credential_vc_issue(staff_credential=issued, actor=None)
    tampered = token_with_claims(token, lambda claims: claims["vc"]["credentialSubject"].update(name="Mallory"))
    assert "Credential has been changed" in check(client, tampered).content.decode()
    assert "Mallory" not in check(client, tampered).content.decode()
    claims = staff_credential_claims(issued, now=issued.issued_at)
    kid = signing_key_active().kid
    public_key = signing_key_active().public_key.encode()
    for forged in (token_unsigned(claims, kid=kid), token_hs256(claims, kid=kid, secret=public_key)):
        assert "Credential has been changed" in check(client, forged).content.decode()
    assert "This is not a credential we can read" in check(client, "hello there").content.decode()
    signing_key_rotate()
    assert "Valid credential" in check(client, token).content.decode()
    staff_credential_revoke(issued)
    html = check(client, token).content.decode()
    assert "Credential revoked" in html
    assert "Revoked" in html


def test_checks_are_rate_limited_like_the_code_lookups(client):
    for _ in range(RATE_LIMIT):
        assert check(client, "not a credential").status_code == 200
    assert check(client, "not a credential").status_code == 429


def test_get_shows_the_form_and_the_answer_is_not_cached(client):
    assert client.get(reverse("verify:credential")).status_code == 200
    response = check(client, "abc")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


token_like = st.builds(
    lambda parts: ".".join(parts),
    st.lists(st.text(alphabet=string.ascii_letters + string.digits + "-_=+/", max_size=120), min_size=1, max_size=5),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), token_like), cut=st.integers(min_value=0, max_value=400))
def test_whatever_is_pasted_the_page_answers_in_words(trust, text, cut):
    cache.clear()  # the rate limit would end the run early
    client = Client(raise_request_exception=False)
    issued = StaffCredential.objects.for_centre(trust).filter(status="issued").first() or staff_credential_build(trust)
    truncated = staff_credential_vc_issue(staff_credential=issued, actor=None)[:cut]
    for pasted in (text, truncated, truncated + text):
        response = client.post(reverse("verify:credential"), {"credential": pasted})
        assert response.status_code in {200, 400}, pasted
        html = response.content.decode()
        assert "Traceback" not in html
        if response.status_code == 200:
            assert "credential" in html.lower()


def test_the_form_page_lets_the_browser_send_its_origin_with_the_post(client):
    """With "no-referrer" a browser posts `Origin: null` and the CSRF check refuses the paste
    (found by the browser journey); "same-origin" still keeps the URL from every other site."""
    assert client.get(reverse("verify:form"))["Referrer-Policy"] == "same-origin"
    assert (
        client.get(reverse("verify:certificate", kwargs={"verification_code": "ABCD-EFGH"}))["Referrer-Policy"]
        == "no-referrer"
    )
