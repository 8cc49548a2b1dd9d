"""Reads of a person's learning used outside the modules pages (ADR 0033)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from elearning.models import KnowledgeCheckAttempt, Lesson, LessonCompletion, Module, ModuleProgress, Question


def required_modules_complete(user) -> bool:
    """Whether `user` has completed every published required module (False when there are
    none: nothing to complete is not a completed eLearning). One query."""
    completed = ModuleProgress.objects.filter(module=OuterRef("pk"), user=user, completed_at__isnull=False)
    outstanding = Module.objects.filter(is_published=True, is_required=True).annotate(done=Exists(completed))
    states = set(outstanding.values_list("done", flat=True))
    return states == {True}


# ---------------------------------------------------------------------------------------------
# E1 the learner's dashboard and lesson pages (el-modules). Every read here is a fixed number
# of queries whatever the number of modules and lessons (asserted in the tests).


@dataclass
class ModuleState:
    """Where a person is in one module, as the dashboard and the lesson pages show it."""

    module: Module
    progress: ModuleProgress | None
    lesson_ids: list[int]  # in order
    done_lesson_ids: set[int]  # completed in the current pass (since a retake started)
    question_count: int
    check_passed: bool  # in the current pass

    @property
    def started(self) -> bool:
        return self.progress is not None

    @property
    def completed_at(self):
        return self.progress.completed_at if self.progress else None

    @property
    def retaking(self) -> bool:
        return bool(self.progress and self.progress.retake_started_at)

    @property
    def has_check(self) -> bool:
        return self.question_count > 0

    @property
    def lessons_done(self) -> bool:
        return all(lesson_id in self.done_lesson_ids for lesson_id in self.lesson_ids)

    @property
    def steps(self) -> int:
        return len(self.lesson_ids) + (1 if self.has_check else 0)

    @property
    def steps_done(self) -> int:
        done = sum(1 for lesson_id in self.lesson_ids if lesson_id in self.done_lesson_ids)
        return done + (1 if self.has_check and self.check_passed else 0)

    @property
    def percent(self) -> int:
        if self.completed_at and not self.retaking:
            return 100
        if not self.steps:
            return 0
        return self.steps_done * 100 // self.steps

    @property
    def finished(self) -> bool:
        """Every step of the current pass is done."""
        return self.lessons_done and (not self.has_check or self.check_passed)

    def next_lesson_id(self, after: int | None = None) -> int | None:
        """The first lesson not done in this pass (after `after`, when given), else None."""
        start = self.lesson_ids.index(after) + 1 if after in self.lesson_ids else 0
        for lesson_id in self.lesson_ids[start:]:
            if lesson_id not in self.done_lesson_ids:
                return lesson_id
        return None


def _states(user, modules: list[Module]) -> list[ModuleState]:
    """ModuleStates of `modules` for `user`: three queries whatever their number."""
    module_ids = [module.pk for module in modules]
    lessons: dict[int, list[int]] = {module_id: [] for module_id in module_ids}
    for module_id, lesson_id in (
        Lesson.objects.filter(module_id__in=module_ids).order_by("position", "id").values_list("module_id", "pk")
    ):
        lessons[module_id].append(lesson_id)
    progress = (
        {row.module_id: row for row in ModuleProgress.objects.filter(user=user, module_id__in=module_ids)}
        if user.is_authenticated
        else {}
    )
    done: dict[int, set[int]] = {}
    passed: set[int] = set()
    if progress:
        starts = {row.pk: row.retake_started_at for row in progress.values()}
        for progress_id, lesson_id, at in LessonCompletion.objects.filter(progress_id__in=starts).values_list(
            "progress_id", "lesson_id", "completed_at"
        ):
            if starts[progress_id] is None or at >= starts[progress_id]:
                done.setdefault(progress_id, set()).add(lesson_id)
        for progress_id, at in KnowledgeCheckAttempt.objects.filter(progress_id__in=starts, passed=True).values_list(
            "progress_id", "created_at"
        ):
            if starts[progress_id] is None or at >= starts[progress_id]:
                passed.add(progress_id)
    states = []
    for module in modules:
        row = progress.get(module.pk)
        states.append(
            ModuleState(
                module=module,
                progress=row,
                lesson_ids=lessons[module.pk],
                done_lesson_ids=done.get(row.pk, set()) if row else set(),
                question_count=module.question_count,
                check_passed=bool(row and row.pk in passed),
            )
        )
    return states


def _with_question_count(queryset):
    questions = Question.objects.filter(module=OuterRef("pk")).order_by().values("module")
    return queryset.annotate(question_count=Coalesce(Subquery(questions.annotate(n=Count("pk")).values("n")[:1]), 0))


def learner_dashboard(user) -> list[ModuleState]:
    """Every published module in order with where `user` is in it."""
    modules = list(_with_question_count(Module.objects.filter(is_published=True)).order_by("position", "title", "id"))
    return _states(user, modules)


def learner_module_state(user, *, module_id, include_unpublished: bool = False) -> ModuleState:
    """One module (published, unless `include_unpublished` for platform staff's preview) with
    where `user` is in it, or 404."""
    modules = Module.objects.filter(public_id=module_id)
    if not include_unpublished:
        modules = modules.filter(is_published=True)
    module = _with_question_count(modules).first()
    if module is None:
        raise Http404("No such module")
    return _states(user, [module])[0]


def module_lessons(state: ModuleState) -> list[Lesson]:
    """The module's lessons in order (one query)."""
    return list(Lesson.objects.filter(module=state.module).order_by("position", "id"))


def module_questions(module: Module) -> list[Question]:
    return list(Question.objects.filter(module=module).order_by("position", "id"))


def module_attempts(state: ModuleState) -> list[KnowledgeCheckAttempt]:
    """Every knowledge-check attempt of the person at this module, newest first."""
    if state.progress is None:
        return []
    return list(KnowledgeCheckAttempt.objects.filter(progress=state.progress).order_by("-created_at", "-id"))


def completed_modules(user) -> list[ModuleProgress]:
    """The published modules `user` has completed, in dashboard order (the certificate)."""
    return list(
        ModuleProgress.objects.filter(user=user, completed_at__isnull=False, module__is_published=True)
        .select_related("module")
        .order_by("module__position", "module__title", "module_id")
    )
