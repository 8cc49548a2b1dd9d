"""The staff passport demo as `seed_demo` loads it (staffpassport/demo_staff.py): Sarah Bennett,
LTHT's senior portal administrator, finds what waits from her home page, the queue with Amara's
DBS check, Tom's rejected one with its reason, and Wojciech reviewed. Desktop and phone width,
axe and a screenshot on every page."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from staffpassport.demo import SENIOR_ADMIN
from staffpassport.demo_staff import BYPASSED, REJECTED, demo_staff_passports_load
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_sarah_finds_the_demo_staff_passports(page: Page, phone_page: Page, demo: Demo):
    demo_staff_passports_load(actor=User.objects.get(email=SENIOR_ADMIN))  # as seed_demo does
    log_in(page, demo.url, SENIOR_ADMIN, demo.password)
    expect(page.get_by_role("link", name="1 credential waiting for manual issue")).to_be_visible()
    expect(page.get_by_role("link", name="3 staff passports awaiting credentials")).to_be_visible()
    check_page(page, "sp-demo-home")
    page.get_by_role("link", name="1 credential waiting for manual issue").click()
    expect(page.get_by_text("1 credential waiting")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Amara Okafor")
    check_page(page, "sp-demo-waiting")

    menu_link(page, "Staff passports").click()
    page.get_by_role("link", name="Tom Hughes").click()
    check_page(page, "sp-demo-tom")
    page.get_by_role("link", name="DBS basic check").click()
    expect(page.locator("main")).to_contain_text(REJECTED[2])
    check_page(page, "sp-demo-rejected")

    page.goto(f"{demo.url}/staff-passport/staff/reviewed/")
    page.get_by_role("link", name="Wojciech Nowak").click()
    expect(page.locator("main")).to_contain_text(BYPASSED[1])
    check_page(page, "sp-demo-reviewed")

    log_in(phone_page, demo.url, SENIOR_ADMIN, demo.password)
    for path, name in [
        ("/", "sp-demo-home-phone"),
        ("/staff-passport/staff/", "sp-demo-awaiting-phone"),
        ("/staff-passport/credentials/waiting/", "sp-demo-waiting-phone"),
    ]:
        phone_page.goto(demo.url + path)
        assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390, name
        check_page(phone_page, name)
