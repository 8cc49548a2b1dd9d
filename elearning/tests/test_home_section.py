"""Issue 16 item 1: a learner's home page shows their eLearning, and the header links to it;
someone without a current site staff record sees neither."""

import pytest
from django.urls import reverse

from elearning.models import SiteStaff
from elearning.services.learning import lesson_complete
from elearning.tests.test_learning_helpers import learner_build, module_build
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_learner_sees_their_progress_and_next_module_on_the_home_page(client, login_as):
    first = module_build(title="Introduction", lessons=1, position=1)
    module_build(title="Information governance", lessons=1, position=2)
    user = learner_build()
    lesson_complete(user=user, lesson=first.lessons.get())
    centre = SiteStaff.objects.get(user=user).centre
    body = login_as(user, centre).get("/").content.decode()
    section = body[body.index('id="home-elearning"') :]
    assert "<strong>1</strong> of 2 required modules complete" in section
    assert "Information governance" in section
    assert reverse("elearning:dashboard") in body[: body.index('id="home-elearning"')]  # the header link


def test_someone_without_a_site_staff_record_sees_no_elearning(client, login_as):
    module_build()
    member = MembershipFactory()
    body = login_as(member.user, member.centre).get("/").content.decode()
    assert 'id="home-elearning"' not in body
    assert reverse("elearning:dashboard") not in body
