"""Builders for the E1 modules tests (el-modules): modules made through the authoring
services, and a learner (a current site staff record at a site)."""

import re
import zlib

import pytest

from elearning.models import SiteStaff
from elearning.services.modules import lesson_create, module_create, module_update, question_create
from tests.factories import CentreFactory, MembershipFactory, UserFactory


def staff_user():
    return UserFactory(platform_staff=True, email="author@platform.nhs.example")


def module_build(
    *, author=None, title="Introduction", lessons=2, questions=0, required=True, published=True, position=0
):
    """A module with `lessons` text lessons and `questions` questions (answer 0 is correct)."""
    author = author or UserFactory(platform_staff=True)
    module = module_create(actor=author, title=title, summary="", is_required=required, position=position)
    for number in range(1, lessons + 1):
        lesson_create(
            module=module,
            actor=author,
            title=f"{title} lesson {number}",
            kind="text",
            body_html=f"<p>Text {number}</p>",
        )
    for number in range(1, questions + 1):
        question_create(
            module=module,
            actor=author,
            text=f"{title} question {number}?",
            choices=["Right", "Wrong"],
            correct_choice=0,
        )
    if published and lessons:
        module = module_update(module=module, actor=author, is_published=True)
    return module


def learner_build(*, email="learner@site.example", centre=None):
    """A person with a current SiteStaff record (a Centre, a Membership and a SiteStaff row)."""
    centre = centre or CentreFactory()
    membership = MembershipFactory(centre=centre, user=UserFactory(email=email, first_name="Lena", last_name="Learner"))
    SiteStaff.objects.create(centre=centre, user=membership.user, membership=membership, job_title="Nurse")
    return membership.user


@pytest.fixture
def learner(db):
    return learner_build()


def test_helpers_build_a_learner_and_a_published_module(db):
    user = learner_build()
    module = module_build(lessons=1, questions=1)
    assert module.is_published
    assert SiteStaff.objects.filter(user=user, status="current").count() == 1


def pdf_holds(pdf: bytes, text: str) -> bool:
    """Whether `text` is in the PDF's (Flate-compressed) objects: the certificate puts its code
    in the document title, which WeasyPrint writes to the metadata."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            if text.encode() in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return text.encode() in pdf
