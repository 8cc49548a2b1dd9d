"""E1 authoring by platform staff (el-modules): modules, lessons in order, questions."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from elearning.models import Lesson, Module, Question
from elearning.tests.test_learning_helpers import module_build
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MODULE_DATA = {
    "title": "Introduction to the Leeds Care Record",
    "summary": "What it is",
    "required": "yes",
    "position": "1",
    "pass_mark_percent": "80",
}


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(platform_staff=True), backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_create_a_module_once_and_audit_it(staff_client):
    data = MODULE_DATA | {"submission_token": "a" * 32}
    response = staff_client.post(reverse("elearning_platform:module_create"), data)
    assert response.status_code == 302
    staff_client.post(reverse("elearning_platform:module_create"), data)  # a double submit
    module = Module.objects.get()
    assert module.title == MODULE_DATA["title"]
    assert module.is_required
    assert not module.is_published
    assert AuditEvent.objects.filter(action="elearning.module_created").count() == 1
    page = staff_client.get(reverse("elearning_platform:modules")).content.decode()
    assert MODULE_DATA["title"] in page
    assert "Draft" in page


def test_publishing_a_module_with_no_lessons_is_refused(staff_client):
    response = staff_client.post(reverse("elearning_platform:module_create"), MODULE_DATA | {"is_published": "on"})
    assert response.status_code == 400
    assert "Add at least one lesson before you publish this module" in response.content.decode()
    assert not Module.objects.exists()
    module = module_build(lessons=0, published=False)
    url = reverse("elearning_platform:module", kwargs={"module_id": module.public_id})
    response = staff_client.post(url, MODULE_DATA | {"is_published": "on"})
    assert response.status_code == 400
    assert "Error: " in response.content.decode()
    module.refresh_from_db()
    assert not module.is_published
    assert module.title != MODULE_DATA["title"]


def test_invalid_module_form_says_what_to_fix(staff_client):
    response = staff_client.post(
        reverse("elearning_platform:module_create"), {"position": "x", "pass_mark_percent": "0"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Enter the module&#39;s title",
        "Select whether the module is required",
        "Enter the order as a whole number",
        "The pass mark must be between 1 and 100",
    ):
        assert message in body
    assert body.count("<title>Error: ") == 1


def test_lessons_are_added_in_order_moved_and_deleted_with_confirmation(staff_client):
    module = module_build(lessons=0, published=False)
    create = reverse("elearning_platform:lesson_create", kwargs={"module_id": module.public_id})
    staff_client.post(
        create,
        {
            "kind": "text",
            "title": "Text one",
            "body_html": '<h2>Heading</h2><p onclick="x()">Hi<script>alert(1)</script></p><iframe src="x"></iframe>',
        },
    )
    staff_client.post(
        create,
        {"kind": "video", "title": "Video two", "video_url": "https://video.example.nhs.uk/a", "transcript": "Words"},
    )
    text, video = module.lessons.order_by("position")
    assert text.body_html == "<h2>Heading</h2><p>Hi</p>"
    assert (video.kind, video.video_url, video.transcript) == ("video", "https://video.example.nhs.uk/a", "Words")
    move = reverse(
        "elearning_platform:lesson_move", kwargs={"module_id": module.public_id, "lesson_id": video.public_id}
    )
    staff_client.post(move, {"direction": "up"})
    assert [lesson.title for lesson in module.lessons.order_by("position")] == ["Video two", "Text one"]
    delete = reverse(
        "elearning_platform:lesson_delete", kwargs={"module_id": module.public_id, "lesson_id": video.public_id}
    )
    assert "Delete the lesson" in staff_client.get(delete).content.decode()
    staff_client.post(delete)
    assert list(module.lessons.values_list("title", "position")) == [("Text one", 0)]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"elearning.lesson_created", "elearning.lesson_moved", "elearning.lesson_deleted"} <= actions


def test_a_video_lesson_needs_an_https_address_and_a_transcript(staff_client):
    module = module_build(lessons=0, published=False)
    create = reverse("elearning_platform:lesson_create", kwargs={"module_id": module.public_id})
    response = staff_client.post(
        create, {"kind": "video", "title": "V", "video_url": "http://x.example/v", "transcript": ""}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "starts with https://" in body
    assert "Enter the captions or transcript" in body
    assert not Lesson.objects.exists()


def test_the_last_lesson_of_a_published_module_cannot_be_deleted(staff_client):
    module = module_build(lessons=1)
    lesson = module.lessons.get()
    url = reverse(
        "elearning_platform:lesson_delete", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id}
    )
    response = staff_client.post(url, follow=True)
    assert "unpublish the module first" in response.content.decode()
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_a_lesson_of_another_module_in_an_authoring_url_is_404(staff_client):
    module = module_build(title="A", lessons=1)
    other = module_build(title="B", lessons=1).lessons.get()
    for name in ("lesson", "lesson_delete"):
        url = reverse(
            f"elearning_platform:{name}", kwargs={"module_id": module.public_id, "lesson_id": other.public_id}
        )
        assert staff_client.post(url).status_code == 404
    assert Lesson.objects.count() == 2


def test_questions_have_two_to_six_answers_and_a_correct_one(staff_client):
    module = module_build(lessons=1)
    create = reverse("elearning_platform:question_create", kwargs={"module_id": module.public_id})
    response = staff_client.post(create, {"text": "Q?", "choice_1": "Only one", "correct_choice": "2"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter answer 2" in body
    assert not Question.objects.exists()
    response = staff_client.post(create, {"text": "Q?", "choice_1": "A", "choice_2": "B", "correct_choice": "3"})
    assert "Select an answer you have entered as the correct one" in response.content.decode()
    staff_client.post(create, {"text": "Q?", "choice_1": "A", "choice_3": "C", "choice_2": "B", "correct_choice": "2"})
    question = Question.objects.get()
    assert question.choices == ["A", "B", "C"]
    assert question.correct_choice == 2
    edit = reverse(
        "elearning_platform:question", kwargs={"module_id": module.public_id, "check_question_id": question.public_id}
    )
    staff_client.post(edit, {"text": "Q2?", "choice_1": "A", "choice_2": "B", "correct_choice": "0"})
    question.refresh_from_db()
    assert (question.text, question.choices, question.correct_choice) == ("Q2?", ["A", "B"], 0)
    delete = reverse(
        "elearning_platform:question_delete",
        kwargs={"module_id": module.public_id, "check_question_id": question.public_id},
    )
    staff_client.post(delete)
    assert not Question.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="elearning.question_").count() == 3


@pytest.mark.parametrize("role", [None, Role.CENTRE_MANAGER, Role.AUTHORISER])
def test_every_centre_role_is_turned_away_from_authoring(client, role):
    module = module_build(lessons=1)
    member = MembershipFactory(role=role)
    client.force_login(member.user, backend="allauth.account.auth_backends.AuthenticationBackend")
    for url in (
        reverse("elearning_platform:modules"),
        reverse("elearning_platform:module", kwargs={"module_id": module.public_id}),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("elearning_platform:module_create"), MODULE_DATA).status_code == 403
    assert Module.objects.count() == 1


def test_platform_header_has_the_modules_entry(staff_client):
    body = staff_client.get(reverse("elearning_platform:modules")).content.decode()
    assert f'href="{reverse("elearning_platform:modules")}"' in body


def test_demo_modules_load_twice_changes_nothing():
    import io

    from elearning.demo_modules import GOVERNANCE, demo_modules_load

    demo_modules_load(stdout=io.StringIO())
    demo_modules_load(stdout=io.StringIO())
    assert Module.objects.filter(is_published=True).count() == 3
    assert Lesson.objects.filter(kind="video").exclude(transcript="").count() == 1
    assert Question.objects.filter(module__title=GOVERNANCE).count() == 3
