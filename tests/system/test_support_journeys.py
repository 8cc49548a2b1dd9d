"""Issue 3 support journeys in a real browser: a support ticket raised by an administrator and
answered by platform staff, a system notice on the dashboard, My account with an error then
success, notification preferences, and one page at phone width.

Every page visited is screenshotted and checked with axe-core.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Membership
from notifications.models import NotificationKind, NotificationSubscription, OutboundEmail
from support.models import SupportTicket
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE_SUFFIX = " \N{EN DASH} Learning and Support Platform"


def header_nav(page: Page):
    return page.get_by_role("navigation", name="Menu")


def test_administrator_raises_a_ticket_platform_staff_answer_it(page: Page, new_context, demo: Demo):
    # The centre manager asked for support ticket alerts, so is emailed with the administrator.
    manager = Membership.objects.get(user__email=demo.centre_manager)
    NotificationSubscription.objects.create(
        user=manager.user, centre=manager.centre, kind=NotificationKind.SUPPORT_TICKET
    )

    log_in(page, demo.url, demo.administrator, demo.password)
    header_nav(page).get_by_role("link", name="Support").click()
    expect(page).to_have_url(f"{demo.url}/centre/support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support tickets")
    check_page(page, "support-list-empty")

    page.get_by_role("button", name="Raise a support ticket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a support ticket")
    check_page(page, "support-new")
    page.get_by_role("button", name="Send to the platform team").click()
    expect(page).to_have_title("Error: Raise a support ticket" + TITLE_SUFFIX)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a subject")
    expect(summary).to_contain_text("Select what your question is about")
    expect(summary).to_contain_text("Enter a description of the problem")
    check_page(page, "support-new-errors")

    page.get_by_label("Subject").fill("Approve button does nothing")
    page.get_by_role("radio", name="Registering and managing delegates").check()
    page.get_by_label("Describe the problem").fill(
        "When I approve Kieran Doyle's registration the page reloads and he is still waiting.\n\nTried twice today."
    )
    page.get_by_role("button", name="Send to the platform team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve button does nothing")
    expect(page.get_by_text("Your support ticket has been sent to the platform team.")).to_be_visible()
    expect(page.get_by_text("Waiting for the platform team")).to_be_visible()
    check_page(page, "support-ticket-raised")
    ticket = SupportTicket.objects.get()
    assert OutboundEmail.objects.filter(template="support/emails/ticket_raised").count() == 1

    # Platform staff answer it.
    staff_page = new_context().new_page()
    log_in(staff_page, demo.url, demo.platform_staff, demo.password)
    header_nav(staff_page).get_by_role("link", name="Support tickets").click()
    expect(staff_page).to_have_url(f"{demo.url}/platform/support/")
    expect(staff_page.get_by_role("table")).to_contain_text(demo.ltht)
    check_page(staff_page, "platform-support-list")
    staff_page.get_by_role("link", name="Approve button does nothing").click()
    expect(staff_page.get_by_text("Tried twice today.")).to_be_visible()
    check_page(staff_page, "platform-support-ticket")
    staff_page.get_by_role("button", name="Send answer").click()
    expect(staff_page).to_have_title(re.compile(r"^Error: "))
    expect(staff_page.locator(".nhsuk-error-summary")).to_contain_text("Enter your reply")
    staff_page.get_by_label("Answer").fill("Fixed: approvals work again. Please try once more.")
    staff_page.get_by_role("button", name="Send answer").click()
    expect(staff_page.get_by_text(f"Your answer has been sent to {demo.ltht}.")).to_be_visible()
    check_page(staff_page, "platform-support-answered")

    answered = OutboundEmail.objects.filter(template="support/emails/ticket_answered")
    assert sorted(email.to[0] for email in answered) == sorted([demo.administrator, demo.centre_manager])

    # The administrator sees the answer.
    page.goto(f"{demo.url}/centre/support/")
    expect(page.get_by_role("table")).to_contain_text("Answered")
    check_page(page, "support-list-answered")
    page.get_by_role("link", name="Approve button does nothing").click()
    expect(page.get_by_text("Fixed: approvals work again.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Platform team \(Pat Morgan\)"))).to_be_visible()
    check_page(page, "support-ticket-answered")

    # Staff close it.
    staff_page.get_by_role("button", name="Close ticket").click()
    expect(staff_page.get_by_text("is closed")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_platform_notice_appears_on_a_dashboard(page: Page, new_context, demo: Demo):
    educator = Membership.objects.get(user__email=demo.educator)
    NotificationSubscription.objects.create(
        user=educator.user, centre=educator.centre, kind=NotificationKind.SYSTEM_NOTICE
    )
    log_in(page, demo.url, demo.platform_staff, demo.password)
    header_nav(page).get_by_role("link", name="System notices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("System notices")
    check_page(page, "platform-notices")
    page.get_by_role("button", name="Publish now").click()
    expect(page).to_have_title("Error: System notices" + TITLE_SUFFIX)
    check_page(page, "platform-notices-errors")
    page.get_by_label("Title").fill("Planned maintenance on Sunday")
    page.get_by_label("Notice", exact=True).fill(
        "The platform will be unavailable on Sunday from 06:00 to 08:00.\nPlease finish assessments before then."
    )
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish “Planned maintenance on Sunday”?")
    expect(page.get_by_text("1 subscriber")).to_be_visible()
    check_page(page, "platform-notice-publish-confirm")
    page.get_by_role("button", name="Publish and email subscribers").click()
    expect(page.get_by_text("is published and shows on every dashboard")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Showing")
    check_page(page, "platform-notices-published")
    assert [email.to for email in OutboundEmail.objects.filter(template="centres/emails/system_notice")] == [
        [demo.educator]
    ]

    learner_page = new_context().new_page()
    log_in(learner_page, demo.url, demo.learner, demo.password)
    banner = learner_page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("Planned maintenance on Sunday")
    expect(banner).to_contain_text("Please finish assessments before then.")
    check_page(learner_page, "dashboard-with-notice")


def test_my_account_error_then_success(page: Page, demo: Demo):
    # The demo centre asks "Ward or department" (mandatory, with options) as prompt 1; this
    # educator has not answered it yet.
    Membership.objects.filter(user__email=demo.educator, centre__code="LTHT").update(answer1="")
    log_in(page, demo.url, demo.educator, demo.password)
    page.get_by_role("link", name="My account").click()
    expect(page).to_have_url(f"{demo.url}/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    check_page(page, "my-account")

    page.get_by_label("Last name").fill("")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Professional registration number", exact=True).fill("12 34")
    page.get_by_role("button", name="Save my details").click()
    expect(page).to_have_title("Error: My account" + TITLE_SUFFIX)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your last name")
    expect(summary).to_contain_text("Answer “Ward or department”")
    expect(summary).to_contain_text("5 to 20 letters, numbers or hyphens")
    check_page(page, "my-account-errors")

    page.get_by_label("Last name").fill("Raman-Shah")
    page.get_by_label("Ward or department").select_option("Cardiology")
    page.get_by_label("Professional registration number", exact=True).fill("12A3456E")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    check_page(page, "my-account-saved")
    membership = Membership.objects.get(user__email=demo.educator)
    assert (membership.user.last_name, membership.answer1, membership.prn) == ("Raman-Shah", "Cardiology", "12A3456E")

    page.get_by_role("link", name="Choose which emails you get").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification preferences")
    expect(page.get_by_role("checkbox")).to_have_count(4)
    page.get_by_role("checkbox", name="Sign-off requested").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your notification preferences have been saved.")).to_be_visible()
    check_page(page, "notification-preferences")


def test_phone_width_my_account_and_support(phone_page: Page, demo: Demo):
    log_in(phone_page, demo.url, demo.administrator, demo.password)
    phone_page.goto(f"{demo.url}/account/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("My account")
    check_page(phone_page, "phone-my-account")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.goto(f"{demo.url}/centre/support/new/")
    check_page(phone_page, "phone-support-new")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_learner_without_roles_sees_why_there_are_no_preferences(page: Page, demo: Demo):
    log_in(page, demo.url, demo.learner, demo.password)
    page.goto(f"{demo.url}/account/notifications/")
    expect(page.get_by_text("You do not have a role at")).to_be_visible()
    check_page(page, "notification-preferences-learner")
