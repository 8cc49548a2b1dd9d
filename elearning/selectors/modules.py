"""E1 reads for the authoring pages (platform staff): every module, and one with its content."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from elearning.models import Lesson, Module, Question


def _count(model, **filters):
    rows = model.objects.filter(module=OuterRef("pk"), **filters).order_by().values("module")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def modules_for_authoring():
    """Every module, published or not, in dashboard order, with its lesson and question counts
    (one query)."""
    return Module.objects.annotate(lesson_count=_count(Lesson), question_count=_count(Question)).order_by(
        "position", "title", "id"
    )


def module_get(*, module_id) -> Module:
    """A module by its public id, or 404."""
    module = Module.objects.filter(public_id=module_id).first()
    if module is None:
        raise Http404("No such module")
    return module


def module_lesson_get(*, module: Module, lesson_id) -> Lesson:
    """`module`'s lesson by its public id, or 404 (a lesson of another module answers the same)."""
    lesson = Lesson.objects.filter(module=module, public_id=lesson_id).select_related("module").first()
    if lesson is None:
        raise Http404("No such lesson in this module")
    return lesson


def module_question_get(*, module: Module, question_id) -> Question:
    question = Question.objects.filter(module=module, public_id=question_id).select_related("module").first()
    if question is None:
        raise Http404("No such question in this module")
    return question
