"""S8 verifiable credentials in a real browser: a trust's senior portal administrator downloads
an issued staff passport credential as a VC-JWT; a logged-out visitor pastes it on /verify/ and
sees it is valid; a copy with a changed payload shows as changed; a revoked one as revoked.
Desktop and phone width, every page screenshotted and checked with axe-core."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre
from centres.roles import Role
from staffpassport.models import StaffCredential
from staffpassport.tests.vc_factories import staff_credential_build, staff_credential_revoke
from staffpassport.tests.vc_helpers import token_with_claims
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.system.conftest import PHONE, Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def paste_and_check(page: Page, url: str, token: str) -> None:
    page.goto(f"{url}/verify/")
    page.get_by_label("Digital credential").fill(token)
    page.get_by_role("button", name="Check digital credential").click()


def test_a_downloaded_credential_checks_as_valid_and_a_changed_one_does_not(page: Page, new_context, demo: Demo):
    trust = Centre.objects.get(name=demo.ltht)
    admin = MembershipFactory(
        centre=trust,
        role=Role.SENIOR_PORTAL_ADMIN,
        user=UserFactory(first_name="Sunita", last_name="Patel", email="sunita.patel@ltht.nhs.example"),
    )
    dbs = staff_credential_build(
        trust, first_name="Amara", last_name="Okafor", expires_on=date.today() + timedelta(days=3 * 365)
    )
    waiting = staff_credential_build(trust, first_name="Ben", last_name="Hughes", status=StaffCredential.Status.WAITING)

    log_in(page, demo.url, admin.user.email, PASSWORD)
    page.goto(f"{demo.url}/staff-passport/credentials/{waiting.public_id}/digital/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("digital credential")
    expect(page.locator("main")).to_contain_text("This credential cannot be downloaded")
    expect(page.get_by_role("button", name="Download verifiable credential")).to_have_count(0)
    check_page(page, "vc-not-issued")

    page.goto(f"{demo.url}/staff-passport/credentials/{dbs.public_id}/digital/")
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Amara Okafor")
    check_page(page, "vc-download")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download verifiable credential").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".jwt")
    token = Path(download.path()).read_text()
    assert token.count(".") == 2

    visitor = new_context().new_page()
    visitor.goto(f"{demo.url}/verify/")
    expect(visitor.get_by_role("heading", level=2, name="Check a digital credential")).to_be_visible()
    check_page(visitor, "vc-verify-form")
    visitor.get_by_role("button", name="Check digital credential").click()
    expect(visitor.locator(".nhsuk-error-summary")).to_contain_text("Paste the digital credential you want to check")
    check_page(visitor, "vc-verify-empty")

    paste_and_check(visitor, demo.url, token)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Valid credential")
    main = visitor.locator("main")
    expect(main).to_contain_text("Amara Okafor")
    expect(main).to_contain_text(demo.ltht)
    expect(main).to_contain_text(dbs.credential.name)
    expect(main).not_to_contain_text("@")
    check_page(visitor, "vc-verify-valid")

    tampered = token_with_claims(token, lambda claims: claims["vc"]["credentialSubject"].update(name="Mallory Smith"))
    paste_and_check(visitor, demo.url, tampered)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Credential has been changed")
    expect(visitor.locator("main")).not_to_contain_text("Mallory")
    check_page(visitor, "vc-verify-tampered")

    paste_and_check(visitor, demo.url, "this is not a credential")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This is not a credential we can read")
    check_page(visitor, "vc-verify-unreadable")

    staff_credential_revoke(dbs)
    phone = new_context(**PHONE).new_page()
    paste_and_check(phone, demo.url, token)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Credential revoked")
    expect(phone.locator("main")).to_contain_text("Revoked")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(phone, "vc-verify-revoked-phone")
    phone.goto(f"{demo.url}/verify/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(phone, "vc-verify-form-phone")

    log_in(phone, demo.url, admin.user.email, PASSWORD)
    phone.goto(f"{demo.url}/staff-passport/credentials/{dbs.public_id}/digital/")
    expect(phone.locator("main")).to_contain_text("It was revoked on")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    check_page(phone, "vc-revoked-page-phone")
