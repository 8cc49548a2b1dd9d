"""P7/P8 in a real browser: an assessor confirms 8 of 10 results at once and rejects 2 with an
action plan; the learner (the rest then confirmed directly) asks for sign-off; the educator
signs off. The review and passport pages on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre, Membership
from passports.models import Certificate, Enrolment, Proficiency, ResultStatus
from passports.tests.factories import enrolment_build, framework_version_build
from passports.tests.test_supervisor_data import all_confirmed, request_build
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

NAMES = [
    "Explain the indications for peripheral IV cannulation",
    "Select an appropriate cannula size and site",
    "Prepare the equipment using aseptic non-touch technique",
    "Obtain valid consent and explain the procedure",
    "Insert the cannula and secure it with a sterile dressing",
    "Flush the cannula and check patency",
    "Document the insertion in the VIP score chart",
    "Recognise and escalate phlebitis and infiltration",
    "Remove a cannula and document the removal",
    "Dispose of sharps safely",
]


def _passport(demo: Demo) -> Enrolment:
    """Grace (learner at LTHT) on a 10-proficiency framework, enrolled by Priya (educator),
    with Tom (assessor) as a supervisor and all 10 results sent to Tom for confirmation."""
    centre = Centre.objects.get(code="LTHT")
    version = framework_version_build(name="Cannulation Passport", sections=2, per_section=5)
    for proficiency, name in zip(version.proficiencies.order_by("position"), NAMES, strict=True):
        Proficiency.objects.filter(pk=proficiency.pk).update(name=name)
    version.sections.filter(position=1).update(name="Before insertion")
    version.sections.filter(position=2).update(name="Insertion and care")
    member = Membership.objects.for_centre(centre)
    enrolment = enrolment_build(
        centre=centre,
        version=version,
        learner=member.get(user__email=demo.two_centres),
        educator=member.get(user__email=demo.educator),
    )
    tom = member.get(user__email=demo.assessor).user
    enrolment.supervisors.create(centre=centre, user=tom, added_by=enrolment.membership.user)
    results = request_build(enrolment, tom).items.select_related("result")
    first = results.order_by("result__proficiency__position").first().result
    first.action_plan = "Observed by the ward sister on 3 occasions"
    first.save()
    return enrolment


def test_assessor_reviews_learner_asks_educator_signs_off(page: Page, demo: Demo):
    enrolment = _passport(demo)

    # The assessor: to-do list, then the request.
    log_in(page, demo.url, demo.assessor, demo.password)
    menu_link(page, "Supervise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervise")
    check_page(page, "supervise-dashboard")
    page.get_by_role("link", name="Confirm results for Grace Okafor's Cannulation Passport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm results for Grace Okafor")
    check_page(page, "supervise-request")

    # Confirm 8 at once.
    for name in NAMES[:8]:
        page.get_by_label(re.compile(re.escape(name))).check()
    page.get_by_label("Comment for the learner (optional)").fill("Seen in practice on ward 12")
    page.get_by_role("button", name="Confirm ticked results").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You confirmed 8 results")
    check_page(page, "supervise-request-after-confirm")

    # Reject the other 2 together: first without an action plan (an error), then with one.
    for name in NAMES[8:]:
        page.get_by_label(re.compile(re.escape(name))).check()
    page.get_by_role("button", name="Reject ticked results").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter an action plan")
    check_page(page, "supervise-request-errors")
    page.get_by_label("Action plan (needed to reject)").fill("Complete the sharps e-learning and be observed twice")
    page.get_by_role("button", name="Reject ticked results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervise")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You rejected 2 results")
    expect(page.get_by_text("Nothing to do.")).to_be_visible()
    statuses = list(enrolment.results.values_list("status", flat=True))
    assert statuses.count(ResultStatus.CONFIRMED) == 8
    assert statuses.count(ResultStatus.REJECTED) == 2
    page.get_by_role("link", name="Grace Okafor").click()
    check_page(page, "supervise-passport")
    page.context.clear_cookies()  # log out

    # The rest confirmed directly; the learner asks Priya (the only supervisor who can sign off).
    all_confirmed(enrolment, enrolment.supervisors.get(is_enrolling_educator=False).user)
    log_in(page, demo.url, demo.two_centres, demo.password)
    page.get_by_label(demo.ltht).check()
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/sign-off/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-off")
    check_page(page, "signoff-learner")
    page.get_by_label("Priya Raman").check()
    page.get_by_label("Comment for the educator (optional)").fill("All done, thank you")
    page.get_by_role("button", name="Ask for sign-off").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Priya Raman has been asked")
    check_page(page, "signoff-learner-requested")
    page.context.clear_cookies()  # log out

    # The educator signs off.
    log_in(page, demo.url, demo.educator, demo.password)
    menu_link(page, "Supervise").click()
    page.get_by_role("link", name="Sign off Grace Okafor's Cannulation Passport").click()
    check_page(page, "signoff-decide")
    page.get_by_label("Sign off this passport").check()
    page.get_by_label("Comments for the learner").fill("Well done")
    page.get_by_role("button", name="Send decision").click()
    code = Certificate.objects.get(enrolment=enrolment).code
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(f"Certificate {code} has been issued")
    check_page(page, "signoff-signed-off")
    enrolment.refresh_from_db()
    assert enrolment.is_locked


def test_review_and_passport_pages_on_a_phone(phone_page: Page, demo: Demo):
    enrolment = _passport(demo)
    page = phone_page
    log_in(page, demo.url, demo.assessor, demo.password)
    request = enrolment.confirmation_requests.get()
    page.goto(f"{demo.url}/passports/supervise/requests/{request.public_id}/")
    page.locator(".app-review-item__one:not(.app-review-item__description) summary").first.click()
    expect(page.get_by_role("button", name="Reject this result").first).to_be_visible()
    check_page(page, "phone-supervise-request")
    page.goto(f"{demo.url}/passports/supervise/")
    check_page(page, "phone-supervise-dashboard")
    page.goto(f"{demo.url}/passports/supervise/enrolments/{enrolment.public_id}/")
    check_page(page, "phone-supervise-passport")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "the passport page scrolls sideways on a phone"
