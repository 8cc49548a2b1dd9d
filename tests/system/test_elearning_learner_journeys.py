"""E1 in a real browser (el-modules): a learner (a current site staff record at a Leeds site)
works through the Leeds Care Record modules: starts one, completes lessons, pauses and
resumes, fails a knowledge check once and then passes, downloads the certificate, and a
logged-out visitor checks its code at /verify/. Platform staff author a module with a lesson
and a question. Every page is screenshotted (test-results/screens/elearning-*.png) and
checked with axe-core at desktop and phone width."""

import io
import re

import pytest
from playwright.sync_api import Page, expect

from centres.models import Centre
from elearning.demo_modules import GOVERNANCE, INTRODUCTION, SAFE_USE, demo_modules_load
from elearning.models import ElearningCertificate, Module, ModuleProgress
from elearning.tests.test_learning_helpers import pdf_holds
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.system.conftest import Demo, check_page, log_in, menu_link

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

LEARNER = "amira.hussain@leedsgp.nhs.example"


@pytest.fixture
def learner(demo: Demo):
    """Amira, current staff at a Leeds site (a Centre, a Membership and a SiteStaff row), and
    the three demo modules."""
    from elearning.models import SiteStaff

    demo_modules_load(stdout=io.StringIO())
    site = Centre.objects.get(name=demo.ltht)
    user = UserFactory(email=LEARNER, first_name="Amira", last_name="Hussain")
    membership = MembershipFactory(centre=site, user=user)
    SiteStaff.objects.create(centre=site, user=user, membership=membership, job_title="Practice nurse")
    return user


def _complete_lesson(page: Page) -> None:
    page.get_by_role("button", name="Complete lesson").click()


def _card(page: Page, title: str):
    return page.locator(".nhsuk-card").filter(has=page.get_by_role("heading", name=title))


def test_learner_completes_the_modules_and_verifies_the_certificate(
    page: Page, phone_page: Page, new_context, demo: Demo, learner
):
    log_in(page, demo.url, LEARNER, PASSWORD)
    page.goto(f"{demo.url}/elearning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Care record eLearning")
    expect(page.locator("main")).to_contain_text("ALL required modules must be completed")
    check_page(page, "elearning-dashboard-new")

    # Start the first module: a video lesson with its transcript beside the link.
    _card(page, INTRODUCTION).get_by_role("button", name=re.compile("^Start module")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is the Leeds Care Record?")
    video = page.get_by_role("link", name=re.compile("Watch the video"))
    expect(video).to_have_attribute("href", re.compile(r"^https://"))
    expect(video).to_have_attribute("target", "_blank")
    expect(page.locator("main")).to_contain_text("read-only view")
    check_page(page, "elearning-lesson-video")
    _complete_lesson(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Finding a patient and reading their record")
    check_page(page, "elearning-lesson-text")

    # Pause: back on the dashboard the module is half done; Continue resumes at lesson 2.
    page.get_by_role("link", name="Back to your eLearning dashboard").click()
    card = _card(page, INTRODUCTION)
    expect(card).to_contain_text("50%")
    check_page(page, "elearning-dashboard-paused")
    card.get_by_role("link", name=re.compile("^Continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finding a patient and reading their record")
    _complete_lesson(page)
    expect(page.locator("main")).to_contain_text(f"You have completed {INTRODUCTION}")
    expect(_card(page, INTRODUCTION)).to_contain_text("Completed on")

    # The knowledge check: failed once, then passed.
    _card(page, GOVERNANCE).get_by_role("button", name=re.compile("^Start module")).click()
    _complete_lesson(page)
    _complete_lesson(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge check")
    check_page(page, "elearning-knowledge-check")
    page.get_by_role("button", name="Submit answers").click()
    expect(page).to_have_title(re.compile(r"^Error: Knowledge check"))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Answer question 1")
    check_page(page, "elearning-knowledge-check-errors")
    wrong = ["When a colleague asks you to check on a friend", "Nobody", "Look them up quickly"]
    right = [
        "When you are involved in their care",
        "Auditors, and the patient if they ask",
        "Refuse and explain they should ask their own clinician",
    ]
    for answer in wrong:
        page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("You scored 0 of 3 (0%). The pass mark is 80%.")
    expect(page.get_by_role("heading", name="Try again")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Not passed")
    check_page(page, "elearning-knowledge-check-failed")
    for answer in right:
        page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("main")).to_contain_text(f"You passed the knowledge check for {GOVERNANCE} with 3 of 3 (100%).")
    progress = ModuleProgress.objects.get(user=learner, module__title=GOVERNANCE)
    assert progress.completed_at is not None
    assert progress.attempts.count() == 2

    # The last module, on a phone.
    log_in(phone_page, demo.url, LEARNER, PASSWORD)
    phone_page.goto(f"{demo.url}/elearning/")
    check_page(phone_page, "elearning-dashboard-phone")
    _card(phone_page, SAFE_USE).get_by_role("button", name=re.compile("^Start module")).click()
    check_page(phone_page, "elearning-lesson-phone")
    _complete_lesson(phone_page)
    _complete_lesson(phone_page)
    expect(phone_page.get_by_role("link", name="Download your certificate (PDF)")).to_be_visible()
    check_page(phone_page, "elearning-dashboard-complete-phone")

    # The certificate.
    page.goto(f"{demo.url}/elearning/")
    check_page(page, "elearning-dashboard-complete")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate (PDF)").click()
    pdf = open(download.value.path(), "rb").read()  # noqa: SIM115 - a file Playwright made
    assert pdf.startswith(b"%PDF")
    certificate = ElearningCertificate.objects.get(user=learner)
    assert pdf_holds(pdf, certificate.code)

    # Retake: the completion date stays.
    _card(page, INTRODUCTION).get_by_role("button", name=re.compile("^Retake")).click()
    expect(page.locator("main")).to_contain_text("Your completion date is kept")
    page.get_by_role("link", name="Back to your eLearning dashboard").click()
    expect(_card(page, INTRODUCTION)).to_contain_text("Completed on")
    expect(_card(page, INTRODUCTION)).to_contain_text("Retake progress")

    # Anyone, logged out, checks the code.
    visitor = new_context().new_page()
    visitor.goto(f"{demo.url}/verify/")
    visitor.get_by_label("Verification code").fill(certificate.code.lower())
    visitor.get_by_role("button", name="Check certificate").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(visitor.locator("main")).to_contain_text("Amira Hussain")
    expect(visitor.locator("main")).to_contain_text("Care record eLearning")
    expect(visitor.locator("main")).not_to_contain_text("@")
    check_page(visitor, "elearning-verify-valid")


def test_platform_staff_author_a_module(page: Page, phone_page: Page, demo: Demo):
    log_in(page, demo.url, demo.platform_staff, demo.password)
    menu_link(page, "eLearning modules").click()
    expect(page).to_have_url(f"{demo.url}/platform/elearning/modules/")
    check_page(page, "elearning-authoring-list")
    page.get_by_role("button", name="Create a module").click()
    page.get_by_label("Title").fill("Sharing information with social care")
    page.get_by_label("Required: everyone must complete it").check()
    page.get_by_label("Order on the dashboard").fill("4")
    page.get_by_label("Published: learners see this module").check()
    page.get_by_role("button", name="Save the module").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Add at least one lesson before you publish")
    check_page(page, "elearning-authoring-publish-refused")
    page.get_by_label("Published: learners see this module").uncheck()
    page.get_by_role("button", name="Save the module").click()
    expect(page.locator("main")).to_contain_text("Add its lessons, then publish it.")
    check_page(page, "elearning-authoring-module")

    page.get_by_role("link", name="Add a text lesson").click()
    page.get_by_label("Title").fill("When you may share")
    page.get_by_label("Lesson text").fill("<h2>Consent</h2><p>Share what is needed.</p><script>alert(1)</script>")
    check_page(page, "elearning-authoring-lesson")
    page.get_by_role("button", name="Save the lesson").click()
    expect(page.get_by_role("link", name="1. When you may share")).to_be_visible()
    page.get_by_role("link", name="Add a video lesson").click()
    page.get_by_label("Title").fill("Consent in practice")
    page.get_by_label("Video address").fill("https://video.example.nhs.uk/consent")
    page.get_by_label("Captions or transcript").fill("A district nurse asks a patient before sharing their plan.")
    page.get_by_role("button", name="Save the lesson").click()
    page.get_by_role("button", name="Move up", exact=False).click()
    expect(page.get_by_role("link", name="1. Consent in practice")).to_be_visible()
    expect(page.get_by_role("link", name="2. When you may share")).to_be_visible()
    check_page(page, "elearning-authoring-lessons")

    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Question").fill("Who decides what to share?")
    page.get_by_role("textbox", name="Answer 1", exact=True).fill("The clinician caring for the person")
    page.get_by_role("textbox", name="Answer 2", exact=True).fill("Anyone who asks")
    page.get_by_role("group", name="Which answer is correct?").get_by_label("Answer 1").check()
    check_page(page, "elearning-authoring-question")
    page.get_by_role("button", name="Save the question").click()
    expect(page.locator("main")).to_contain_text("The question is added to the knowledge check.")
    page.get_by_label("Published: learners see this module").check()
    page.get_by_role("button", name="Save the module").click()
    expect(page.locator("main")).to_contain_text("Sharing information with social care is saved.")
    module = Module.objects.get(title="Sharing information with social care")
    assert module.is_published
    text_lesson = module.lessons.get(kind="text")
    assert text_lesson.body_html == "<h2>Consent</h2><p>Share what is needed.</p>"
    assert text_lesson.position == 1
    assert module.questions.get().correct_choice == 0

    log_in(phone_page, demo.url, demo.platform_staff, demo.password)
    phone_page.goto(f"{demo.url}/platform/elearning/modules/{module.public_id}/")
    check_page(phone_page, "elearning-authoring-module-phone")
