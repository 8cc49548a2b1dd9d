"""Issue 11, finding 2 in a real browser: platform staff (not a superuser) name the first
centre manager of a centre that has none, and the new manager can then give centre roles but
is never offered register roles or a role for themselves. Pages are checked with axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import RoleAssignment
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

NSCHT = "North Staffordshire Combined Healthcare NHS Trust"  # a demo register organisation, no manager


def test_platform_staff_name_the_first_centre_manager(page: Page, demo: Demo):
    log_in(page, demo.url, demo.platform_staff, demo.password)
    menu_link(page, "Centres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centres")
    page.get_by_label("Search by name or code").fill("north staffordshire")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name=re.compile(NSCHT))
    expect(row).to_contain_text("None yet")
    check_page(page, "platform-centres")
    row.get_by_role("link", name=re.compile("Centre managers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Centre managers of {NSCHT}")
    expect(page.get_by_text("This centre has no centre manager yet.")).to_be_visible()
    check_page(page, "platform-centre-manager")

    page.get_by_label("Email address of their account").fill("nobody@nowhere.example")
    page.get_by_role("button", name="Make them a centre manager").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("No active account uses nobody@nowhere.example")
    check_page(page, "platform-centre-manager-error")

    page.get_by_label("Email address of their account").fill(demo.referrer)
    page.get_by_role("button", name="Make them a centre manager").click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("is now a centre manager")
    expect(page.get_by_text(f"Sophie Clarke ({demo.referrer})")).to_be_visible()
    assert RoleAssignment.objects.filter(
        user__email=demo.referrer, centre__name=NSCHT, role="centre_manager", revoked_at__isnull=True
    ).exists()


def test_a_centre_manager_is_offered_centre_roles_only(page: Page, demo: Demo):
    log_in(page, demo.url, demo.centre_manager, demo.password)
    menu_link(page, "Roles").click()
    page.get_by_label("Give someone a role").fill(demo.two_centres)
    page.get_by_role("button", name="Find person").click()
    expect(page.get_by_role("radio", name="Administrator", exact=True)).to_be_visible()
    for register_role in ("Referrer", "DSR reporting user", "DSR administrator"):
        expect(page.get_by_role("radio", name=register_role)).to_have_count(0)
    check_page(page, "roles-person-centre-roles-only")
    page.goto(f"{demo.url}/centre/roles/")
    page.get_by_label("Give someone a role").fill(demo.centre_manager)
    page.get_by_role("button", name="Find person").click()
    expect(page.get_by_text("You cannot give yourself a role")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
