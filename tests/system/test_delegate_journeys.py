"""C6/C7 in a real browser: an administrator searches and filters the delegate list, edits a
delegate (with a mistake first), deactivates one; the list with filters on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre, Membership, RegistrationPrompt
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def _ward_prompt():
    """The demo centre asks "Ward or department" as prompt 1; make its answers short here."""
    centre = Centre.objects.get(code="LTHT")
    RegistrationPrompt.objects.for_centre(centre).filter(position=1).update(text="Ward", options=["Ward 1", "Ward 2"])
    return centre


def test_administrator_finds_edits_and_deactivates_a_delegate(page: Page, demo: Demo):
    centre = _ward_prompt()
    log_in(page, demo.url, demo.administrator, demo.password)
    menu_link(page, "Delegates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delegates")
    check_page(page, "delegates-list")

    page.get_by_label("Search").fill("underwood")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".app-delegate-list > li")).to_have_count(1)
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Password").select_option("set")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 delegate matches")).to_be_visible()
    check_page(page, "delegates-list-filtered")

    # The export is a report job (asked for with a POST button): built by a worker
    # (in-process here), then downloaded.
    page.get_by_role("button", name="Download these delegates as a spreadsheet (Excel)").click()
    expect(page.get_by_text("Your spreadsheet is ready: 1 row.")).to_be_visible()
    check_page(page, "delegates-export-ready")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("^Download delegates-LTHT-")).click()
    assert download.value.suggested_filename.startswith("delegates-LTHT-")
    page.go_back()
    page.go_back()

    page.get_by_role("link", name="Underwood, Tom").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Underwood")
    check_page(page, "delegate-detail")

    page.get_by_role("button", name="Edit details").click()
    page.get_by_label("Ward").select_option("Ward 2")
    page.get_by_label("Yes").check()
    page.get_by_label("Professional registration number", exact=True).fill("12")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("5 to 20 letters, numbers or hyphens")
    check_page(page, "delegate-edit-errors")
    page.get_by_label("Professional registration number", exact=True).fill("NMC-12A3456")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Tom Underwood's details have been saved.")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("NMC-12A3456")

    page.get_by_role("link", name="Deactivate Tom Underwood").click()
    check_page(page, "delegate-deactivate-confirm")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("Tom Underwood has been deactivated.")).to_be_visible()
    tom = Membership.objects.for_centre(centre).get(user__email="tom.underwood@ltht.nhs.example")
    assert not tom.is_active
    assert tom.answer1 == "Ward 2"


def test_delegate_list_with_filters_on_a_phone(phone_page: Page, demo: Demo):
    _ward_prompt()
    page = phone_page
    log_in(page, demo.url, demo.centre_manager, demo.password)
    page.goto(f"{demo.url}/centre/delegates/?active=active&answer1=Ward+1")
    expect(page.get_by_role("heading", name="No delegates match your search")).to_be_visible()
    check_page(page, "phone-delegates-no-results")
    page.goto(f"{demo.url}/centre/delegates/?active=active")
    expect(page.locator(".app-delegate-list > li").first).to_be_visible()
    check_page(page, "phone-delegates-filtered")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, "the delegate list scrolls sideways on a phone"
