"""Issue 16 item 5 in a real browser, with a REAL Celery worker (tests/celery_worker.py): an
administrator sends every waiting welcome email (list, check page, progress, done) at desktop
width, and approves every waiting registration on a phone. The worker pauses after each
progress step (JOB_PROGRESS_DELAY_SECONDS) so the bar is seen part way; axe on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from centres.mass_actions import CHUNK
from centres.models import Centre, WelcomeLink
from centres.tests.test_mass_actions import unclaimed
from tests.factories import MembershipFactory
from tests.system.conftest import Demo, check_page, log_in

pytestmark = [pytest.mark.system, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAITING = CHUNK * 3  # three chunks: the bar moves twice before it is done
FINISHES_WITHIN = 120_000  # ms; a loaded CI machine runs the worker slowly


@pytest.fixture
def slow_steps(monkeypatch):
    """Requested before `worker`, so the worker starts with the pause."""
    monkeypatch.setenv("JOB_PROGRESS_DELAY_SECONDS", "2")


def test_send_every_welcome_email_check_progress_done(slow_steps, worker, page: Page, demo: Demo):
    centre = Centre.objects.get(code="LTHT")
    unclaimed(centre, WAITING)
    log_in(page, demo.url, demo.administrator, demo.password)
    page.goto(f"{demo.url}/centre/welcome-emails/")
    link = page.get_by_role("button", name=re.compile(r"^Send to all \d+$"))  # a link drawn as a button
    count = int(link.inner_text().rsplit(" ", 1)[1])
    assert count >= WAITING
    check_page(page, "mass-welcome-list")

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{count} people will be emailed")
    check_page(page, "mass-welcome-check")

    page.get_by_role("button", name=f"Send {count} welcome emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send welcome emails")
    status = page.locator("#report-progress[role=status]")
    # The sentence in the live region is updated in place (job-progress.js), not replaced, so
    # a screen reader hears the new number: mark the element and find the mark again later.
    page.locator("[data-progress-text]").evaluate("(sentence) => { sentence.dataset.seen = 'yes'; }")
    # Part way: a percentage between 1 and 99, in the live region, with the bar beside it.
    expect(status).to_contain_text(re.compile(r"In progress: [1-9]\d?% done"), timeout=FINISHES_WITHIN)
    expect(page.locator("[data-progress-text][data-seen=yes]")).to_contain_text(re.compile(r"[1-9]\d?% done"))
    expect(page.locator(".app-progress__bar")).to_have_class(re.compile(r"app-width-[1-9]\d?\b"))
    check_page(page, "mass-welcome-progress")

    expect(status).to_contain_text(f"Welcome email sent to {count} delegates.", timeout=FINISHES_WITHIN)
    check_page(page, "mass-welcome-done")
    assert WelcomeLink.objects.for_centre(centre).filter(used_at__isnull=True).count() >= WAITING
    page.get_by_role("link", name="Back to send welcome emails").click()
    expect(page.get_by_role("button", name=re.compile(r"^Send to all"))).to_have_count(0)  # nobody is waiting now


def test_approve_every_registration_on_a_phone(slow_steps, worker, phone_page: Page, demo: Demo):
    page = phone_page
    centre = Centre.objects.get(code="LTHT")
    for _ in range(3):
        MembershipFactory(centre=centre, unapproved=True)
    log_in(page, demo.url, demo.administrator, demo.password)
    page.goto(f"{demo.url}/centre/registrations/")
    link = page.get_by_role("button", name=re.compile(r"^Approve all \d+$"))
    count = int(link.inner_text().rsplit(" ", 1)[1])
    check_page(page, "mass-approve-list-phone")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{count} registrations will be approved")
    check_page(page, "mass-approve-check-phone")
    page.get_by_role("button", name=f"Approve {count} registrations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve registrations")
    check_page(page, "mass-approve-progress-phone")
    expect(page.locator("#report-progress[role=status]")).to_contain_text(
        f"{count} registrations approved.", timeout=FINISHES_WITHIN
    )
    check_page(page, "mass-approve-done-phone")
