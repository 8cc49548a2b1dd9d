"""E1 a learner's way through the modules: start, complete a lesson, the knowledge check,
retake (ADR 0035).

A person's learning is their own (ADR 0033): these services take the user and a module or
lesson, never a centre. Every write locks the person's `ModuleProgress` row, so a double
submit or two tabs write once. `completed_at` is set once, by the step that finishes the
module the first time; a retake walks the module again and never clears it. When a completion
finishes the person's last required module, the certificate is issued and
`required_modules_completed` is sent, both inside the transaction.
"""

from django.db import transaction
from django.utils import timezone

from centres.audit import audit_record
from core.exceptions import ServiceError
from elearning.models import KnowledgeCheckAttempt, Lesson, LessonCompletion, Module, ModuleProgress
from elearning.selectors.learning import learner_module_state, module_questions, required_modules_complete
from elearning.services.certificates import elearning_certificate_issue
from elearning.signals import required_modules_completed

NOT_AVAILABLE = "This module is not available to learners. Choose a module from your eLearning dashboard."


def _published_module(module: Module) -> Module:
    """The module, re-read and locked; refused when it is not published."""
    module = Module.objects.select_for_update().filter(pk=module.pk, is_published=True).first()
    if module is None:
        raise ServiceError(NOT_AVAILABLE)
    return module


def _progress_locked(user, module: Module, *, create: bool) -> ModuleProgress | None:
    now = timezone.now()
    if create:
        first = Lesson.objects.filter(module=module).order_by("position", "id").first()
        _, created = ModuleProgress.objects.get_or_create(
            user=user, module=module, defaults={"started_at": now, "last_lesson": first}
        )
        if created:
            audit_record(
                actor=user, action="elearning.module_started", target=module, summary=f"Started {module.title}"
            )
    return ModuleProgress.objects.select_for_update().filter(user=user, module=module).first()


@transaction.atomic
def module_start(*, user, module: Module, request=None) -> ModuleProgress:
    """Start `module` (or nothing, when already started)."""
    module = _published_module(module)
    return _progress_locked(user, module, create=True)


@transaction.atomic
def module_retake(*, user, module: Module, request=None) -> ModuleProgress:
    """Walk a completed module again from its first lesson; the completion stays. Starting a
    retake that is already under way changes nothing."""
    module = _published_module(module)
    progress = _progress_locked(user, module, create=False)
    if progress is None or progress.completed_at is None:
        raise ServiceError("You can retake a module once you have completed it")
    if progress.retake_started_at is None:
        progress.retake_started_at = timezone.now()
        progress.last_lesson = Lesson.objects.filter(module=module).order_by("position", "id").first()
        progress.save(update_fields=["retake_started_at", "last_lesson", "updated_at"])
        audit_record(
            actor=user,
            action="elearning.module_retake_started",
            target=module,
            summary=f"Retake of {module.title} started",
            request=request,
        )
    return progress


def _module_finish_if_done(*, user, progress: ModuleProgress, request=None) -> None:
    state = learner_module_state(user, module_id=progress.module.public_id)
    if not state.finished:
        return
    module = progress.module
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.retake_started_at = None
        progress.save(update_fields=["completed_at", "retake_started_at", "updated_at"])
        audit_record(
            actor=user,
            action="elearning.module_completed",
            target=module,
            summary=f"Completed {module.title}",
            request=request,
        )
        if module.is_required and required_modules_complete(user):
            elearning_certificate_issue(user=user, request=request)
            required_modules_completed.send(sender=ModuleProgress, user=user)
    elif progress.retake_started_at is not None:
        progress.retake_started_at = None
        progress.save(update_fields=["retake_started_at", "updated_at"])
        audit_record(
            actor=user,
            action="elearning.module_retake_completed",
            target=module,
            summary=f"Retake of {module.title} completed",
            request=request,
        )


@transaction.atomic
def lesson_complete(*, user, lesson: Lesson, request=None) -> ModuleProgress:
    """Mark `lesson` done in the current pass (starting the module if need be) and move the
    place to resume to the next lesson. Completing it again writes nothing."""
    module = _published_module(lesson.module)
    progress = _progress_locked(user, module, create=True)
    now = timezone.now()
    completion = LessonCompletion.objects.filter(progress=progress, lesson=lesson).first()
    if completion is None:
        LessonCompletion.objects.create(progress=progress, lesson=lesson, completed_at=now)
    elif progress.retake_started_at and completion.completed_at < progress.retake_started_at:
        completion.completed_at = now
        completion.save(update_fields=["completed_at"])
    else:
        return progress
    state = learner_module_state(user, module_id=module.public_id)
    next_id = state.next_lesson_id(after=lesson.pk) or state.next_lesson_id()
    progress.last_lesson_id = next_id
    progress.save(update_fields=["last_lesson", "updated_at"])
    audit_record(
        actor=user,
        action="elearning.lesson_completed",
        target=lesson,
        summary=f"Completed lesson {lesson.title} of {module.title}",
        request=request,
    )
    _module_finish_if_done(user=user, progress=progress, request=request)
    return progress


def _score(questions, answers: dict[str, int]) -> int:
    expected = {str(question.public_id) for question in questions}
    if set(answers) - expected:
        raise ServiceError("These answers are for questions that are not in this module's knowledge check")
    if set(answers) != expected:
        raise ServiceError("Answer every question")
    correct = 0
    for question in questions:
        chosen = answers[str(question.public_id)]
        if not isinstance(chosen, int) or not 0 <= chosen < len(question.choices):
            raise ServiceError("Choose one of the answers offered for every question")
        correct += chosen == question.correct_choice
    return correct


@transaction.atomic
def knowledge_check_submit(*, user, module: Module, answers: dict[str, int], request=None) -> KnowledgeCheckAttempt:
    """Score one attempt (kept whether it passes or not). `answers` maps each question's public
    id to the chosen answer's index; it must answer exactly this module's questions."""
    module = _published_module(module)
    progress = _progress_locked(user, module, create=False)
    questions = module_questions(module)
    if not questions:
        raise ServiceError("This module has no knowledge check")
    state = learner_module_state(user, module_id=module.public_id)
    if progress is None or not state.lessons_done:
        raise ServiceError("Complete every lesson of this module before the knowledge check")
    correct = _score(questions, answers)
    total = len(questions)
    attempt = KnowledgeCheckAttempt.objects.create(
        progress=progress,
        answers=answers,
        correct=correct,
        total=total,
        passed=correct * 100 >= module.pass_mark_percent * total,
    )
    audit_record(
        actor=user,
        action="elearning.knowledge_check_attempted",
        target=module,
        summary=f"Knowledge check of {module.title}: {correct} of {total}, "
        f"{'passed' if attempt.passed else 'not passed'}",
        request=request,
    )
    if attempt.passed:
        _module_finish_if_done(user=user, progress=progress, request=request)
    return attempt


def attempt_percent(attempt: KnowledgeCheckAttempt) -> int:
    return attempt.correct * 100 // attempt.total if attempt.total else 0
