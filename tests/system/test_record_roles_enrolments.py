"""Issue 16 items 8, 9 and 12 in a real browser, at desktop (1280) and phone (390) width with
axe on every page: a DSR record opens as a summary with Change links; the register list's
names are links and its Sort by control works on the phone's cards; the Roles pages do not
offer a role for an area not built; administrators list enrolments and remove a started one."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from centres.models import Membership
from centres.role_areas import role_area_register, role_area_unregister
from centres.roles import Role
from passports.models import Enrolment
from passports.tests.factories import enrolment_build, framework_version_build
from tests.system.conftest import PHONE, Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_dsr_record_summary_and_list_at_desktop_and_phone(new_context, demo: Demo):
    for width, options in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_context(**options).new_page()
        log_in(page, demo.url, demo.dsr_admin, demo.password)
        page.goto(f"{demo.url}/dsr/referrals/")
        sort = page.get_by_label("Sort by")
        expect(sort).to_be_visible()  # on the phone the table is cards without headings
        sort.select_option("name")
        expect(page).to_have_url(re.compile(r"sort=name"))
        names = page.locator(".app-referral-table tbody tr td:first-child a")
        first, second = names.nth(0).inner_text(), names.nth(1).inner_text()
        assert first.split()[-1] <= second.split()[-1] or first <= second
        _no_sideways_scroll(page)
        check_page(page, f"g-dsr-list-sorted-{width}")

        page.get_by_role("link", name="Percy Plum", exact=True).click()
        expect(page.get_by_role("heading", level=2, name="At a glance")).to_be_visible()
        glance = page.locator(".nhsuk-card")
        expect(glance.locator(".nhsuk-tag")).to_have_text("Green")
        expect(glance).to_contain_text("Last outcome")
        _no_sideways_scroll(page)
        check_page(page, f"g-dsr-record-summary-{width}")

        page.get_by_role("link", name="Change latest update for the DSR meeting").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Change Percy Plum's referral")
        expect(page.locator("#id_latest_update")).to_be_visible()
        _no_sideways_scroll(page)
        check_page(page, f"g-dsr-record-edit-{width}")
        page.get_by_label("Latest update for the DSR meeting").fill(f"Seen at home ({width}).")
        page.get_by_role("button", name="Update record").click()
        expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been updated")
        expect(page.locator(".nhsuk-card")).to_contain_text(f"Seen at home ({width}).")

        page.get_by_role("link", name=re.compile(r"^Record an outcome")).click()
        expect(page.get_by_role("heading", level=2, name="Record an outcome")).to_be_visible()
        _no_sideways_scroll(page)
        check_page(page, f"g-dsr-outcome-form-{width}")
        page.context.close()


@pytest.fixture
def authoriser_not_built():
    role_area_unregister(Role.AUTHORISER)
    yield
    role_area_register(Role.AUTHORISER, name="care record eLearning")


def test_roles_not_offered_for_an_area_not_built(new_context, demo: Demo, authoriser_not_built):
    for width, options in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_context(**options).new_page()
        log_in(page, demo.url, demo.centre_manager, demo.password)
        menu_link(page, "Roles").click()
        intro = page.get_by_text(re.compile("^You can give these roles"))
        expect(intro).not_to_contain_text("Authoriser")
        expect(intro).to_contain_text("Educator / manager")
        check_page(page, f"g-roles-list-{width}")
        page.get_by_label("Give someone a role").fill(demo.two_centres)
        page.get_by_role("button", name="Find person").click()
        expect(page.get_by_role("radio", name="Educator / manager")).to_be_visible()
        expect(page.get_by_role("radio", name="Authoriser")).to_have_count(0)
        _no_sideways_scroll(page)
        check_page(page, f"g-roles-person-{width}")
        # A post of the role the page did not offer (a stale or tampered form) is refused.
        page.evaluate(
            """() => { const radio = document.querySelector('input[name="role"]');
                       radio.value = 'authoriser'; radio.checked = true; }"""
        )
        page.get_by_role("button", name="Give role").click()
        summary = page.locator(".nhsuk-error-summary")
        expect(summary).to_contain_text("The Authoriser role is for a part of the service that is not available yet")
        check_page(page, f"g-roles-refused-{width}")
        page.context.close()


def test_administrator_lists_enrolments_and_removes_a_started_one(new_context, demo: Demo):
    grace = Membership.objects.select_related("centre").get(
        user__email=demo.two_centres, centre__name=demo.ltht
    )
    version = framework_version_build(name="Blood transfusion passport", sections=1, per_section=2)
    other = framework_version_build(name="Venepuncture passport", sections=1, per_section=2)
    started = enrolment_build(centre=grace.centre, version=version, learner=grace)
    Enrolment.objects.filter(pk=started.pk).update(started_at=timezone.now())
    enrolment_build(centre=grace.centre, version=other, learner=grace)
    for width, options in (("phone", PHONE), ("desktop", DESKTOP)):
        page = new_context(**options).new_page()
        log_in(page, demo.url, demo.administrator, demo.password)
        menu_link(page, "Enrolments").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enrolments")
        expect(page.get_by_text("Showing 1 to 2 of 2 enrolments")).to_be_visible()
        _no_sideways_scroll(page)
        check_page(page, f"g-enrolments-{width}")
        page.get_by_label("Framework").select_option(label="Blood transfusion passport")
        page.get_by_label("Learner").fill("okafor")
        page.get_by_role("button", name="Filter").click()
        expect(page.get_by_text("Showing 1 to 1 of 1 enrolment matching the filters")).to_be_visible()
        check_page(page, f"g-enrolments-filtered-{width}")
        if width == "desktop":
            page.get_by_role("link", name=re.compile("^Remove")).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Grace")
            check_page(page, "g-enrolment-remove")
            page.get_by_role("button", name="Remove enrolment").click()
            expect(page.locator(".nhsuk-notification-banner")).to_contain_text("has been removed")
            expect(page.get_by_text("Showing 1 to 1 of 1 enrolment")).to_be_visible()
        page.context.close()
    started.refresh_from_db()
    assert started.removed_at is not None
