"""Issue 16 item 2 in a real browser, on the real Step 1 framework (670 proficiencies in 52
sections): sections grouped by parent number, a section answered in place with htmx, several
marked at once, the supernumerary filter, the next section, "Save and continue" to the next
proficiency needing an answer; the same without JavaScript; on a phone the answer stays above
the fold after a save. Every page: screenshot and axe, at 1280 wide and at 390 x 844."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Membership
from passports.demo import DATA
from passports.models import Result
from passports.services.framework_json import framework_json_parse, framework_load
from passports.tests.factories import enrolment_build
from tests.system.conftest import Demo, check_page, log_in, screenshot

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

SECTION = "1.2.1 Respiratory system - Anatomy and physiology"
NEXT_SECTION = "1.2.2 Respiratory system - Respiratory assessment, monitoring and observation"


def _step1_for_oliver(demo: Demo):
    rows, prerequisites = framework_json_parse(json.loads((DATA / "step1-proficiencies.json").read_text()))
    version = framework_load(name="Step 1 proficiencies", rows=rows, prerequisites_html=prerequisites, publish=True)
    learner = Membership.objects.get(centre__code="MPFT", user__email=demo.learner)
    educator = Membership.objects.get(centre__code="MPFT", user__first_name="Rajesh")
    return enrolment_build(centre=learner.centre, version=version.version, learner=learner, educator=educator)


def _section_rows(enrolment, name=SECTION) -> list[Result]:
    return list(
        Result.objects.filter(enrolment=enrolment, proficiency__section__name=name)
        .select_related("proficiency")
        .order_by("proficiency__position")
    )


def _row(page: Page, result: Result):
    return page.locator(f"#proficiency-{result.proficiency.position}")


def _status(enrolment, result: Result) -> tuple[str, str]:
    result = Result.objects.get(pk=result.pk)
    return result.status, result.answer


def _open_section(page: Page, demo: Demo, enrolment) -> None:
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/")
    expect(page.get_by_role("heading", name="1.2 Respiratory system")).to_be_visible()
    page.get_by_role("link", name="1.2.1 Anatomy and physiology", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECTION)


def test_step1_section_answered_in_place_with_javascript(page: Page, demo: Demo):
    enrolment = _step1_for_oliver(demo)
    rows = _section_rows(enrolment)
    log_in(page, demo.url, demo.learner, demo.password)
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/")
    expect(page.locator(".app-passport-progress").first).to_contain_text("0 of 670 confirmed")
    check_page(page, "selfassess-step1-passport")
    _open_section(page, demo, enrolment)
    expect(page.get_by_text("My passport", exact=True)).to_have_count(0)  # no passport header again
    check_page(page, "selfassess-section")

    # One row answered in place: the row, the progress and the status message change; the
    # page does not reload (no banner) and focus stays on the button pressed.
    first = rows[0]
    page.locator(f"#answer-{first.proficiency.position}-achieved").click()
    expect(_row(page, first)).to_contain_text("You said: Achieved")
    expect(page.locator("#answer-status")).to_contain_text("saved as Achieved")
    expect(page.locator("#section-progress")).to_contain_text("1 self-assessed")
    expect(page.locator(f"#answer-{first.proficiency.position}-achieved")).to_be_focused()
    expect(page.locator(".nhsuk-notification-banner")).to_have_count(0)
    assert _status(enrolment, first) == ("self_assessed", "achieved")
    check_page(page, "selfassess-section-answered-in-place")

    # Several at once.
    for result in rows[1:3]:
        _row(page, result).get_by_label(re.compile("^Select")).check()
    page.get_by_role("button", name="Mark selected as Ongoing").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("2 proficiencies marked Ongoing")
    assert [_status(enrolment, r) for r in rows[1:3]] == [("self_assessed", "ongoing")] * 2
    expect(page.locator("#section-progress")).to_contain_text("3 self-assessed")
    check_page(page, "selfassess-section-marked")

    # Only the supernumerary ones.
    supernumerary = [r for r in rows if r.proficiency.is_supernumerary]
    assert supernumerary, "Step 1's 1.2.1 has supernumerary proficiencies"
    page.get_by_role("link", name="Show only supernumerary proficiencies").click()
    expect(page.locator("#section-proficiencies > li")).to_have_count(len(supernumerary))
    expect(page.locator("#section-proficiencies .nhsuk-tag--purple")).to_have_count(len(supernumerary))
    check_page(page, "selfassess-section-supernumerary")
    page.get_by_role("link", name=re.compile("^Show all")).click()

    # "Save and continue" from an answered one goes to the next still needing an answer.
    page.get_by_role("link", name=f"{first.proficiency.position}. {first.proficiency.name}", exact=True).click()
    check_page(page, "selfassess-proficiency")
    page.get_by_label("Ongoing").check()
    page.get_by_role("button", name="Save and continue").click()
    waiting = rows[3].proficiency
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{waiting.position}. {waiting.name}")

    # The next section.
    page.get_by_role("link", name=re.compile(r"^Back to 1\.2\.1")).click()
    page.get_by_role("link", name=re.compile("1.2.2 Respiratory system")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEXT_SECTION)
    check_page(page, "selfassess-next-section")


def test_section_without_javascript(new_context, demo: Demo):
    enrolment = _step1_for_oliver(demo)
    rows = _section_rows(enrolment)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, demo.url, demo.learner, demo.password)
    _open_section(page, demo, enrolment)
    screenshot(page, "selfassess-section-no-js")
    first = rows[0]
    page.get_by_role("button", name=f"Ongoing for {first.proficiency.position}. {first.proficiency.name}").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("saved as Ongoing")
    assert page.url.endswith(f"#proficiency-{first.proficiency.position}")
    expect(_row(page, first)).to_contain_text("You said: Ongoing")
    assert _status(enrolment, first) == ("self_assessed", "ongoing")
    for result in rows[1:4]:
        _row(page, result).get_by_label(re.compile("^Select")).check()
    page.get_by_role("button", name="Mark selected as Achieved").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("3 proficiencies marked Achieved")
    assert [_status(enrolment, r) for r in rows[1:4]] == [("self_assessed", "achieved")] * 3
    page.get_by_role("button", name="Mark selected as Achieved").click()  # nothing ticked
    expect(page.locator(".nhsuk-notification-banner").first).to_contain_text("Select at least one proficiency")
    screenshot(page, "selfassess-section-no-js-marked")


def test_section_and_proficiency_on_a_phone(phone_page: Page, demo: Demo):
    page = phone_page
    enrolment = _step1_for_oliver(demo)
    rows = _section_rows(enrolment)
    log_in(page, demo.url, demo.learner, demo.password)
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/")
    check_page(page, "selfassess-step1-passport-phone")
    _open_section(page, demo, enrolment)
    check_page(page, "selfassess-section-phone")
    first = rows[0]
    page.locator(f"#answer-{first.proficiency.position}-ongoing").click()
    expect(_row(page, first)).to_contain_text("You said: Ongoing")
    check_page(page, "selfassess-section-answered-phone")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    # After a save the radios and the save buttons are above the fold at 390 x 844.
    page.goto(f"{demo.url}/passports/enrolments/{enrolment.public_id}/proficiencies/{first.proficiency.position}/")
    page.get_by_label("Achieved").check()
    page.get_by_label("Your note or action plan (optional)").fill("Revised with the ward's physiology pack")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your answer (Achieved) and your note have been saved.")
    check_page(page, "selfassess-proficiency-saved-phone")
    # The viewport as the learner sees it after the save (a full-page screenshot shows it all).
    page.screenshot(path=str(screenshot(page, "selfassess-proficiency-saved-phone")).replace(".png", "-viewport.png"))
    scrolled = page.evaluate("() => window.scrollY")
    for control in (
        page.get_by_label("Ongoing"),
        page.get_by_role("button", name="Save and continue"),
        page.get_by_role("button", name="Save", exact=True),
    ):
        box = control.bounding_box()
        assert box is not None
        assert box["y"] >= 0, box  # bounding boxes are relative to the viewport
        assert box["y"] + box["height"] <= 844, (box, scrolled)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    # The note is shown in the section's list.
    page.get_by_role("link", name=re.compile(r"^Back to 1\.2\.1")).click()
    expect(_row(page, first)).to_contain_text("Your note: Revised with the ward's physiology pack")
