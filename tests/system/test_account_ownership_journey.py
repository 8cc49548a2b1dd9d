"""Issue 11, finding 1 in a real browser: someone types an existing person's email on a
register's join page; the page answers as for anyone, nothing changes, and only the
account's owner, logged in, can accept the emailed link and join.

Every page visited is screenshotted and checked with axe-core (tests/system/conftest.py).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from notifications.models import OutboundEmail
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_an_existing_account_joins_a_register_only_by_accepting_the_emailed_link(page: Page, demo: Demo, browser):
    from centres.models import Membership, RoleAssignment

    learner = demo.learner  # Oliver Bennett at MPFT: no register role yet
    page.goto(f"{demo.url}/dsr/join/staffordshire/")
    page.get_by_label("First name").fill("Someone")
    page.get_by_label("Last name").fill("Else")
    page.get_by_label("Email address").fill(learner)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert not RoleAssignment.objects.filter(user__email=learner, role="referrer").exists()

    email = OutboundEmail.objects.get(to=[learner], template="referrals/emails/signup_existing")
    found = re.search(r"https?://\S+/dsr/join/staffordshire/accept/\S+/", email.text_body)
    assert found, email.text_body
    link = demo.url + urlsplit(found.group(0)).path

    # Someone else, logged in, cannot use it.
    intruder = browser.new_context().new_page()
    log_in(intruder, demo.url, demo.administrator, demo.password)
    response = intruder.goto(link)
    assert response.status == 404

    log_in(page, demo.url, learner, demo.password)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Staffordshire and Stoke-on-Trent DSR")
    check_page(page, "register-join-accept")
    page.get_by_role("button", name="Join the register").click()
    expect(page.get_by_text("You have joined Staffordshire and Stoke-on-Trent DSR")).to_be_visible()
    membership = Membership.objects.get(user__email=learner, centre__code="MPFT")
    assert membership.accepted_at is not None
    assert RoleAssignment.objects.filter(user__email=learner, role="referrer", revoked_at__isnull=True).exists()
