"""E1 the learner's way through the modules: services and pages (el-modules)."""

import uuid

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from core.exceptions import ServiceError
from elearning.models import ElearningCertificate, KnowledgeCheckAttempt, LessonCompletion, ModuleProgress
from elearning.selectors.learning import learner_module_state
from elearning.services.learning import knowledge_check_submit, lesson_complete, module_retake
from elearning.signals import required_modules_completed
from elearning.tests.test_learning_helpers import learner_build, module_build
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_heard():
    heard = []

    def receiver(sender, user, **kwargs):
        heard.append(user)

    required_modules_completed.connect(receiver)
    yield heard
    required_modules_completed.disconnect(receiver)


def _lessons(module):
    return list(module.lessons.order_by("position"))


def _answers(module, index=0):
    return {str(question.public_id): index for question in module.questions.all()}


def test_completing_every_lesson_completes_a_module_without_questions(signals_heard):
    user = learner_build()
    module = module_build(lessons=2)
    first, second = _lessons(module)
    lesson_complete(user=user, lesson=first)
    progress = ModuleProgress.objects.get(user=user, module=module)
    assert progress.completed_at is None
    assert progress.last_lesson == second
    assert learner_module_state(user, module_id=module.public_id).percent == 50
    lesson_complete(user=user, lesson=second)
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert signals_heard == [user]
    assert ElearningCertificate.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="elearning.module_completed", actor=user).count() == 1


def test_completing_a_lesson_twice_writes_once():
    user = learner_build()
    module = module_build(lessons=2)
    first = _lessons(module)[0]
    lesson_complete(user=user, lesson=first)
    lesson_complete(user=user, lesson=first)
    assert LessonCompletion.objects.filter(lesson=first).count() == 1
    assert AuditEvent.objects.filter(action="elearning.lesson_completed").count() == 1


def test_signal_is_sent_only_when_the_last_required_module_completes(signals_heard):
    user = learner_build()
    optional = module_build(title="Optional", lessons=1, required=False)
    first = module_build(title="First", lessons=1)
    second = module_build(title="Second", lessons=1)
    lesson_complete(user=user, lesson=_lessons(first)[0])
    lesson_complete(user=user, lesson=_lessons(optional)[0])
    assert signals_heard == []
    lesson_complete(user=user, lesson=_lessons(second)[0])
    assert signals_heard == [user]


def test_knowledge_check_fails_then_passes_and_keeps_every_attempt(signals_heard):
    user = learner_build()
    module = module_build(lessons=1, questions=2)
    lesson_complete(user=user, lesson=_lessons(module)[0])
    progress = ModuleProgress.objects.get(user=user, module=module)
    assert progress.completed_at is None, "the knowledge check is still to pass"
    failed = knowledge_check_submit(user=user, module=module, answers=_answers(module, 1))
    assert (failed.correct, failed.total, failed.passed) == (0, 2, False)
    progress.refresh_from_db()
    assert progress.completed_at is None
    passed = knowledge_check_submit(user=user, module=module, answers=_answers(module, 0))
    assert passed.passed
    progress.refresh_from_db()
    assert progress.completed_at is not None
    assert KnowledgeCheckAttempt.objects.filter(progress=progress).count() == 2
    assert signals_heard == [user]


def test_pass_mark_is_a_percentage_of_the_questions():
    user = learner_build()
    module = module_build(lessons=1, questions=4)
    module.pass_mark_percent = 75
    module.save()
    lesson_complete(user=user, lesson=_lessons(module)[0])
    questions = list(module.questions.order_by("position"))
    answers = {str(q.public_id): 0 for q in questions}
    answers[str(questions[0].public_id)] = 1
    assert knowledge_check_submit(user=user, module=module, answers=answers).passed  # 3 of 4 = 75%
    answers[str(questions[1].public_id)] = 1
    assert not knowledge_check_submit(user=user, module=module, answers=answers).passed  # 50%


def test_knowledge_check_before_the_lessons_is_refused():
    user = learner_build()
    module = module_build(lessons=1, questions=1)
    lesson_complete(user=user, lesson=_lessons(module_build(title="Other", lessons=2))[0])
    with pytest.raises(ServiceError, match="Complete every lesson"):
        knowledge_check_submit(user=user, module=module, answers=_answers(module))
    assert not KnowledgeCheckAttempt.objects.exists()


def test_retake_keeps_the_completion_date_and_walks_the_lessons_again(signals_heard):
    user = learner_build()
    module = module_build(lessons=2)
    first, second = _lessons(module)
    lesson_complete(user=user, lesson=first)
    lesson_complete(user=user, lesson=second)
    completed_at = ModuleProgress.objects.get(user=user).completed_at
    module_retake(user=user, module=module)
    state = learner_module_state(user, module_id=module.public_id)
    assert state.retaking
    assert state.percent == 0
    assert state.completed_at == completed_at
    lesson_complete(user=user, lesson=first)
    assert learner_module_state(user, module_id=module.public_id).percent == 50
    lesson_complete(user=user, lesson=second)
    progress = ModuleProgress.objects.get(user=user)
    assert progress.completed_at == completed_at
    assert progress.retake_started_at is None
    assert signals_heard == [user], "a retake does not complete the eLearning again"
    assert ElearningCertificate.objects.filter(user=user).count() == 1


def test_retake_before_completing_is_refused():
    user = learner_build()
    module = module_build(lessons=2)
    lesson_complete(user=user, lesson=_lessons(module)[0])
    with pytest.raises(ServiceError):
        module_retake(user=user, module=module)
    assert ModuleProgress.objects.get(user=user).retake_started_at is None


# -- bad input through the pages: a clear page and nothing written


def _login(client, user):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def test_completing_a_lesson_of_an_unpublished_module_is_refused(client):
    user = learner_build()
    module = module_build(lessons=1, published=False)
    lesson = _lessons(module)[0]
    with pytest.raises(ServiceError, match="not available"):
        lesson_complete(user=user, lesson=lesson)
    response = _login(client, user).post(
        reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id})
    )
    assert response.status_code == 404
    assert "Module not available" in response.content.decode()
    assert not ModuleProgress.objects.exists()
    assert not LessonCompletion.objects.exists()


def test_a_lesson_of_another_module_in_the_url_is_refused(client):
    user = learner_build()
    module = module_build(title="Mine", lessons=1)
    other = module_build(title="Other", lessons=1)
    other_lesson = _lessons(other)[0]
    _login(client, user)
    for name in ("elearning:lesson", "elearning:lesson_complete"):
        url = reverse(name, kwargs={"module_id": module.public_id, "lesson_id": other_lesson.public_id})
        response = client.post(url) if name.endswith("complete") else client.get(url)
        assert response.status_code == 404
        assert "Module not available" in response.content.decode()
    assert not LessonCompletion.objects.exists()
    assert not ModuleProgress.objects.exists()


@pytest.mark.parametrize("name", ["elearning:module", "elearning:knowledge_check"])
def test_an_unknown_module_id_is_404(client, name):
    response = _login(client, learner_build()).get(reverse(name, kwargs={"module_id": uuid.uuid4()}))
    assert response.status_code == 404


def test_a_tampered_lesson_id_is_404(client):
    module = module_build(lessons=1)
    response = _login(client, learner_build()).post(
        reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": uuid.uuid4()})
    )
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def _ready_for_check(user, module):
    lesson_complete(user=user, lesson=_lessons(module)[0])


def test_a_knowledge_check_answer_for_another_modules_question_is_refused(client):
    user = learner_build()
    module = module_build(title="Mine", lessons=1, questions=1)
    other = module_build(title="Other", lessons=1, questions=1)
    _ready_for_check(user, module)
    data = {f"question-{q.public_id}": "0" for q in module.questions.all()}
    data |= {f"question-{q.public_id}": "0" for q in other.questions.all()}
    response = _login(client, user).post(
        reverse("elearning:knowledge_check", kwargs={"module_id": module.public_id}), data
    )
    assert response.status_code == 400
    assert "not in this knowledge check" in response.content.decode()
    assert not KnowledgeCheckAttempt.objects.exists()
    with pytest.raises(ServiceError, match="not in this module"):
        knowledge_check_submit(user=user, module=module, answers=_answers(module) | _answers(other))
    assert not KnowledgeCheckAttempt.objects.exists()


def test_a_knowledge_check_choice_out_of_range_is_refused(client):
    user = learner_build()
    module = module_build(lessons=1, questions=1)
    _ready_for_check(user, module)
    question = module.questions.get()
    response = _login(client, user).post(
        reverse("elearning:knowledge_check", kwargs={"module_id": module.public_id}),
        {f"question-{question.public_id}": "7"},
    )
    assert response.status_code == 400
    assert "Choose one of the answers offered for question 1" in response.content.decode()
    with pytest.raises(ServiceError, match="Choose one of the answers"):
        knowledge_check_submit(user=user, module=module, answers={str(question.public_id): 7})
    assert not KnowledgeCheckAttempt.objects.exists()


def test_a_failed_attempt_shows_the_score_and_what_to_do(client):
    user = learner_build()
    module = module_build(lessons=1, questions=2)
    _ready_for_check(user, module)
    url = reverse("elearning:knowledge_check", kwargs={"module_id": module.public_id})
    data = {f"question-{q.public_id}": "1" for q in module.questions.all()}
    response = _login(client, user).post(url, data, follow=True)
    body = response.content.decode()
    assert "You scored 0 of 2 (0%)" in body
    assert "Try again" in body
    assert KnowledgeCheckAttempt.objects.count() == 1


def test_someone_who_is_not_a_learner_is_told_who_invites_them_and_cannot_write(client):
    module = module_build(lessons=1)
    lesson = _lessons(module)[0]
    outsider = MembershipFactory().user  # a delegate somewhere, with no site staff record
    _login(client, outsider)
    response = client.get(reverse("elearning:dashboard"))
    assert response.status_code == 200
    assert "account authoriser invites you" in response.content.decode()
    for url in (
        reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id}),
        reverse("elearning:module_start", kwargs={"module_id": module.public_id}),
        reverse("elearning:knowledge_check", kwargs={"module_id": module.public_id}),
    ):
        response = client.post(url)
        assert response.status_code == 403
        assert "account authoriser invites you" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_platform_staff_preview_without_writing(client):
    module = module_build(lessons=1, published=False)
    lesson = _lessons(module)[0]
    _login(client, UserFactory(platform_staff=True))
    response = client.get(
        reverse("elearning:lesson", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id})
    )
    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    assert "Complete lesson</button>" not in response.content.decode()
    response = client.post(
        reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id})
    )
    assert response.status_code == 403
    assert not ModuleProgress.objects.exists()


def test_a_deactivated_site_staff_record_is_not_a_learner(client):
    user = learner_build()
    user.site_staff.update(status="deactivated")
    response = _login(client, user).get(reverse("elearning:dashboard"))
    assert "account authoriser invites you" in response.content.decode()


# -- the pages


def test_dashboard_shows_each_module_with_its_state(client):
    user = learner_build()
    done = module_build(title="Done module", lessons=1, position=1)
    started = module_build(title="Started module", lessons=2, position=2)
    module_build(title="New module", lessons=1, position=3, required=False)
    module_build(title="Draft module", lessons=1, position=4, published=False)
    lesson_complete(user=user, lesson=_lessons(done)[0])
    lesson_complete(user=user, lesson=_lessons(started)[0])
    body = _login(client, user).get(reverse("elearning:dashboard")).content.decode()
    assert "ALL required modules must be completed" in body
    assert body.index("Done module") < body.index("Started module") < body.index("New module")
    assert "Draft module" not in body
    assert "Completed on" in body
    assert "Retake" in body
    assert "<strong>50%</strong>" in body
    assert "app-width-50" in body
    assert "Continue" in body
    assert "Start module" in body
    assert "Optional" in body
    assert "Download your certificate" not in body
    lesson_complete(user=user, lesson=_lessons(started)[1])
    body = client.get(reverse("elearning:dashboard")).content.decode()
    assert "Download your certificate (PDF)" in body


def test_start_continue_and_resume_where_they_left_off(client):
    user = learner_build()
    module = module_build(lessons=3)
    first, second, third = _lessons(module)
    _login(client, user)
    response = client.post(reverse("elearning:module_start", kwargs={"module_id": module.public_id}))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].endswith(f"/lessons/{first.public_id}/")
    page = client.get(response["Location"]).content.decode()
    assert "Complete lesson" in page
    assert "lesson 1 of 3" in page
    response = client.post(
        reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": first.public_id})
    )
    assert response["Location"].endswith(f"/lessons/{second.public_id}/")
    # Paused: the dashboard's Continue comes back to lesson 2.
    response = client.get(reverse("elearning:module", kwargs={"module_id": module.public_id}))
    assert response["Location"].endswith(f"/lessons/{second.public_id}/")
    assert ModuleProgress.objects.get(user=user).last_lesson == second
    assert third


def test_lesson_page_shows_a_video_link_and_its_transcript(client):
    from elearning.services.modules import lesson_create, module_update

    module = module_build(lessons=0, published=False)
    author = UserFactory(platform_staff=True)
    lesson = lesson_create(
        module=module,
        actor=author,
        title="Watch",
        kind="video",
        video_url="https://video.example.nhs.uk/lcr-intro",
        transcript="Welcome to the care record.\nSecond line.",
    )
    module_update(module=module, actor=author, is_published=True)
    body = (
        _login(client, learner_build())
        .get(reverse("elearning:lesson", kwargs={"module_id": module.public_id, "lesson_id": lesson.public_id}))
        .content.decode()
    )
    assert 'href="https://video.example.nhs.uk/lcr-intro"' in body
    assert "<iframe" not in body
    assert "<p>Welcome to the care record.</p>" in body


def test_dashboard_and_lesson_queries_do_not_grow_with_modules(client, django_assert_max_num_queries):
    user = learner_build()
    _login(client, user)

    def measure(count):
        modules = [module_build(title=f"M{count}-{i}", lessons=3, questions=1, position=i) for i in range(count)]
        for module in modules[: count // 2]:
            for lesson in _lessons(module):
                lesson_complete(user=user, lesson=lesson)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as dashboard:
            assert client.get(reverse("elearning:dashboard")).status_code == 200
        lesson = _lessons(modules[0])[1]
        url = reverse("elearning:lesson", kwargs={"module_id": modules[0].public_id, "lesson_id": lesson.public_id})
        with CaptureQueriesContext(connection) as lesson_page:
            assert client.get(url).status_code == 200
        return len(dashboard), len(lesson_page)

    small = measure(3)
    large = measure(30)
    assert large == small
    with django_assert_max_num_queries(small[0]):
        client.get(reverse("elearning:dashboard"))


def test_a_double_submitted_complete_lesson_writes_once(client):
    user = learner_build()
    module = module_build(lessons=2)
    first = _lessons(module)[0]
    url = reverse("elearning:lesson_complete", kwargs={"module_id": module.public_id, "lesson_id": first.public_id})
    _login(client, user)
    responses = [client.post(url, {"submission_token": "b" * 32}) for _ in range(2)]
    assert [response.status_code for response in responses] == [302, 302]
    assert LessonCompletion.objects.filter(lesson=first).count() == 1
    assert AuditEvent.objects.filter(action="elearning.lesson_completed").count() == 1
