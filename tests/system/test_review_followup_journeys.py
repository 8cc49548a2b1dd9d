"""Issue 16 items 3 and 11 follow-ups in a real browser, at 1280 and 390 wide with axe on every
page: on the review page, Enter in a checkbox confirms the ticked result only (never the first
result's own "Confirm this result"), and with nothing ticked says so; Supervise and a learner's
passport show the learner's stacked progress bar; the reject-registration and reject-invitation
pages have a Cancel link beside the reject button that goes back where the person came from.
Screenshots: test-results/screens/followup-*.png."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre, Membership
from centres.roles import Role
from elearning.models import Invitation
from elearning.tests.invitation_helpers import invite
from passports.models import ResultStatus
from passports.tests.factories import enrolment_build, framework_version_build
from passports.tests.test_supervisor_data import request_build, results_answer
from tests.factories import MembershipFactory
from tests.system.conftest import PHONE, Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def _request(demo: Demo):
    """Grace at LTHT asks Tom (assessor) to confirm 3 results; 2 more are confirmed already."""
    centre = Centre.objects.get(code="LTHT")
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=5)
    member = Membership.objects.for_centre(centre)
    enrolment = enrolment_build(
        centre=centre,
        version=version,
        learner=member.get(user__email=demo.two_centres),
        educator=member.get(user__email=demo.educator),
    )
    tom = member.get(user__email=demo.assessor).user
    enrolment.supervisors.create(centre=centre, user=tom, added_by=enrolment.membership.user)
    results = list(enrolment.results.order_by("proficiency__position"))
    results_answer(enrolment, results[3:5], status=ResultStatus.CONFIRMED)
    return enrolment, request_build(enrolment, tom, results[:3])


def test_enter_in_the_review_list_confirms_only_what_is_ticked(page: Page, new_context, demo: Demo):
    enrolment, request = _request(demo)
    log_in(page, demo.url, demo.assessor, demo.password)
    review = f"{demo.url}/passports/supervise/requests/{request.public_id}/"
    page.goto(review)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm results for Grace Okafor")
    check_page(page, "followup-review")

    # The browser's default button (the form's first submit button, what implicit submission
    # clicks) is the hidden "confirm the ticked results", not the first result's own button.
    default = page.evaluate(
        """() => { const form = document.querySelector('form.app-review-form');
                  const b = Array.from(form.elements).find(e => e.type === 'submit');
                  return [b.name, b.value, b.textContent.trim()]; }"""
    )
    assert default == ["action", "confirm", "Confirm the results you ticked"]

    # Chromium submits implicitly from a single-line text field (Firefox from a checkbox too;
    # the page's own text boxes are textareas): one stands in for it here.
    def enter_in_a_text_field():
        page.evaluate(
            """() => { const i = document.createElement('input'); i.type = 'text'; i.id = 'enter-here';
                      i.setAttribute('aria-label', 'stand-in');
                      document.querySelector('form.app-review-form').appendChild(i); }"""
        )
        page.locator("#enter-here").press("Enter")

    # Nothing ticked: an error, nothing confirmed.
    enter_in_a_text_field()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select the results you want to confirm")
    assert not enrolment.results.filter(status=ResultStatus.CONFIRMED, proficiency__position__lte=3).exists()
    check_page(page, "followup-review-enter-nothing-ticked")

    # The second ticked, Enter: that one is confirmed, not the first.
    page.locator("input[name=selected]").nth(1).check()
    enter_in_a_text_field()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 1 result")
    confirmed = set(
        enrolment.results.filter(status=ResultStatus.CONFIRMED).values_list("proficiency__position", flat=True)
    )
    assert confirmed == {2, 4, 5}

    # Enter on a checkbox never confirms the first result on its own.
    page.locator("input[name=selected]").first.press("Enter")
    page.wait_for_load_state()
    assert enrolment.results.filter(status=ResultStatus.CONFIRMED).count() == 3

    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.assessor, demo.password)
    phone.goto(review)
    _no_sideways_scroll(phone)
    check_page(phone, "followup-review-phone")


def test_supervisor_sees_the_learners_progress_bar(page: Page, new_context, demo: Demo):
    enrolment, _ = _request(demo)
    log_in(page, demo.url, demo.assessor, demo.password)
    page.goto(f"{demo.url}/passports/supervise/")
    row = page.get_by_role("row").filter(has_text="Cannulation Passport")
    expect(row).to_contain_text("2 of 10 confirmed")
    expect(row).to_contain_text("2 confirmed, 3 awaiting confirmation, 5 not started")
    expect(row.locator(".app-progress--stacked")).to_be_visible()
    check_page(page, "followup-supervise-progress")
    row.get_by_role("link", name="Grace Okafor").click()
    legend = page.locator(".app-progress-legend")
    expect(legend).to_contain_text("2 confirmed")
    expect(legend).to_contain_text("3 awaiting confirmation")
    check_page(page, "followup-supervise-passport-progress")

    phone = new_context(**PHONE).new_page()
    log_in(phone, demo.url, demo.assessor, demo.password)
    phone.goto(f"{demo.url}/passports/supervise/")
    _no_sideways_scroll(phone)
    check_page(phone, "followup-supervise-progress-phone")
    phone.goto(f"{demo.url}/passports/supervise/enrolments/{enrolment.public_id}/")
    _no_sideways_scroll(phone)
    check_page(phone, "followup-supervise-passport-progress-phone")


def test_cancel_beside_reject_registration_goes_back_to_the_list(page: Page, new_context, demo: Demo):
    centre = Centre.objects.get(code="LTHT")
    pending = MembershipFactory(centre=centre, unapproved=True)
    for browser_page, suffix in ((page, ""), (new_context(**PHONE).new_page(), "-phone")):
        log_in(browser_page, demo.url, demo.administrator, demo.password)
        browser_page.goto(f"{demo.url}/centre/registrations/")
        browser_page.get_by_role("link", name=re.compile(f"^Reject {pending.user.get_full_name()}")).click()
        expect(browser_page.get_by_role("heading", level=1)).to_have_text("Reject registration")
        expect(browser_page.get_by_role("link", name="Back to registrations")).to_be_visible()
        cancel = browser_page.get_by_role("link", name="Cancel", exact=True)
        expect(cancel).to_be_visible()
        if suffix == "":
            _no_sideways_scroll(browser_page)
        check_page(browser_page, f"followup-reject-registration{suffix}")
        cancel.click()
        expect(browser_page.get_by_role("heading", level=1)).to_have_text("Approve registrations")
    assert Membership.objects.filter(pk=pending.pk).exists()


def test_cancel_beside_reject_invitation_goes_back_to_the_invitation(page: Page, new_context, demo: Demo):
    centre = Centre.objects.get(code="LTHT")
    authoriser = MembershipFactory(centre=centre, role=Role.AUTHORISER).user
    invitation, token = invite(centre, authoriser, email="rory.cancel@example.org")
    for browser_page, suffix in ((page, ""), (new_context(**PHONE).new_page(), "-phone")):
        browser_page.goto(f"{demo.url}/elearning/invitation/{token}/")
        browser_page.get_by_role("button", name="Reject").click()
        expect(browser_page.get_by_role("heading", level=1)).to_have_text("Reject the invitation")
        expect(browser_page.get_by_role("link", name="Back to the invitation")).to_be_visible()
        _no_sideways_scroll(browser_page)
        check_page(browser_page, f"followup-reject-invitation{suffix}")
        browser_page.get_by_role("link", name="Cancel", exact=True).click()
        expect(browser_page.get_by_role("heading", level=1)).to_contain_text("You are invited to join")
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
