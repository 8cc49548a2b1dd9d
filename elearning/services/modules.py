"""E1 authoring (platform staff): modules, their ordered lessons and knowledge-check questions.

Modules are platform content, not a centre's: every change is audited with no centre. A module
is published only when it has at least one lesson, and a published module keeps at least one
(ADR 0035). Text lessons are sanitised here, whatever the form sent (`core.html`).
"""

from django.db import transaction
from django.db.models import Max

from centres.audit import audit_record
from core.exceptions import ServiceError
from core.html import sanitise_lesson_html
from core.services import model_update
from elearning.models import Lesson, Module, Question

MODULE_FIELDS = ("title", "summary", "is_required", "position", "is_published", "pass_mark_percent")
NO_LESSONS_MESSAGE = "Add at least one lesson before you publish this module"
CHOICES_MIN, CHOICES_MAX = 2, 6


def _published_without_lessons(module: Module) -> bool:
    return module.is_published and not module.lessons.exists()


@transaction.atomic
def module_create(*, actor, request=None, **values) -> Module:
    if values.get("is_published"):
        raise ServiceError(NO_LESSONS_MESSAGE, field="is_published")
    module = Module.objects.create(created_by=actor, **{name: values[name] for name in MODULE_FIELDS if name in values})
    audit_record(
        actor=actor, action="elearning.module_created", target=module, summary=f"Module {module.title}", request=request
    )
    return module


@transaction.atomic
def module_update(*, module: Module, actor, request=None, **values) -> Module:
    module = Module.objects.select_for_update().get(pk=module.pk)
    changes = model_update(module, {name: values[name] for name in MODULE_FIELDS if name in values}, save=False)
    if _published_without_lessons(module):
        raise ServiceError(NO_LESSONS_MESSAGE, field="is_published")
    if changes:
        module.save(update_fields=[*changes.fields, "updated_at"])
        audit_record(
            actor=actor,
            action="elearning.module_updated",
            target=module,
            summary=f"Module {module.title}: {changes.summary()} changed",
            request=request,
        )
    return module


def _lesson_values(kind: str, values: dict) -> dict:
    if kind == Lesson.Kind.VIDEO:
        return {"video_url": values.get("video_url", ""), "transcript": values.get("transcript", ""), "body_html": ""}
    return {"video_url": "", "transcript": "", "body_html": sanitise_lesson_html(values.get("body_html", ""))}


def _lesson_check(kind: str, values: dict) -> None:
    if kind == Lesson.Kind.VIDEO and not values["video_url"]:
        raise ServiceError("Enter the address of the video", field="video_url")
    if kind == Lesson.Kind.VIDEO and not values["transcript"].strip():
        raise ServiceError("Enter the captions or transcript of the video", field="transcript")
    if kind == Lesson.Kind.TEXT and not values["body_html"]:
        raise ServiceError("Enter the text of the lesson", field="body_html")


@transaction.atomic
def lesson_create(*, module: Module, actor, title: str, kind: str, request=None, **values) -> Lesson:
    module = Module.objects.select_for_update().get(pk=module.pk)
    content = _lesson_values(kind, values)
    _lesson_check(kind, content)
    last = module.lessons.aggregate(last=Max("position"))["last"]
    lesson = Lesson.objects.create(
        module=module, title=title, kind=kind, position=0 if last is None else last + 1, **content
    )
    audit_record(
        actor=actor,
        action="elearning.lesson_created",
        target=lesson,
        summary=f"Lesson {lesson.title} added to {module.title}",
        request=request,
    )
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, actor, title: str, request=None, **values) -> Lesson:
    content = _lesson_values(lesson.kind, values)
    _lesson_check(lesson.kind, content)
    changes = model_update(lesson, {"title": title, **content})
    if changes:
        audit_record(
            actor=actor,
            action="elearning.lesson_updated",
            target=lesson,
            summary=f"Lesson {lesson.title} of {lesson.module.title}: {changes.summary()} changed",
            request=request,
        )
    return lesson


def _renumber(lessons: list[Lesson]) -> None:
    for position, lesson in enumerate(lessons):
        lesson.position = position
    Lesson.objects.bulk_update(lessons, ["position"])


@transaction.atomic
def lesson_move(*, lesson: Lesson, actor, up: bool, request=None) -> Lesson:
    """Swap `lesson` with the one before (up) or after it; at either end nothing changes."""
    Module.objects.select_for_update().get(pk=lesson.module_id)
    lessons = list(Lesson.objects.filter(module_id=lesson.module_id).order_by("position", "id"))
    index = next(i for i, each in enumerate(lessons) if each.pk == lesson.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(lessons):
        return lesson
    lessons[index], lessons[other] = lessons[other], lessons[index]
    _renumber(lessons)
    audit_record(
        actor=actor,
        action="elearning.lesson_moved",
        target=lesson,
        summary=f"Lesson {lesson.title} moved {'up' if up else 'down'} to place {other + 1}",
        request=request,
    )
    return lesson


@transaction.atomic
def lesson_delete(*, lesson: Lesson, actor, request=None) -> None:
    module = Module.objects.select_for_update().get(pk=lesson.module_id)
    if module.is_published and module.lessons.count() == 1:
        raise ServiceError("A published module needs at least one lesson: unpublish the module first")
    audit_record(
        actor=actor,
        action="elearning.lesson_deleted",
        target=lesson,
        summary=f"Lesson {lesson.title} deleted from {module.title}",
        request=request,
    )
    lesson.delete()
    _renumber(list(module.lessons.order_by("position", "id")))


def _question_check(choices: list[str], correct_choice: int) -> list[str]:
    choices = [choice.strip() for choice in choices if choice and choice.strip()]
    if not CHOICES_MIN <= len(choices) <= CHOICES_MAX:
        raise ServiceError(f"Enter between {CHOICES_MIN} and {CHOICES_MAX} answers", field="choice_1")
    if len(set(choices)) != len(choices):
        raise ServiceError("Each answer must be different", field="choice_1")
    if not 0 <= correct_choice < len(choices):
        raise ServiceError("Select one of the answers you entered as the correct one", field="correct_choice")
    return choices


@transaction.atomic
def question_create(
    *, module: Module, actor, text: str, choices: list[str], correct_choice: int, request=None
) -> Question:
    module = Module.objects.select_for_update().get(pk=module.pk)
    choices = _question_check(choices, correct_choice)
    last = module.questions.aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        module=module,
        text=text,
        choices=choices,
        correct_choice=correct_choice,
        position=0 if last is None else last + 1,
    )
    audit_record(
        actor=actor,
        action="elearning.question_created",
        target=question,
        summary=f"Knowledge-check question added to {module.title}",
        request=request,
    )
    return question


@transaction.atomic
def question_update(
    *, question: Question, actor, text: str, choices: list[str], correct_choice: int, request=None
) -> Question:
    choices = _question_check(choices, correct_choice)
    changes = model_update(question, {"text": text, "choices": choices, "correct_choice": correct_choice})
    if changes:
        audit_record(
            actor=actor,
            action="elearning.question_updated",
            target=question,
            summary=f"Knowledge-check question of {question.module.title}: {changes.summary()} changed",
            request=request,
        )
    return question


@transaction.atomic
def question_delete(*, question: Question, actor, request=None) -> None:
    audit_record(
        actor=actor,
        action="elearning.question_deleted",
        target=question,
        summary=f"Knowledge-check question deleted from {question.module.title}",
        request=request,
    )
    question.delete()
