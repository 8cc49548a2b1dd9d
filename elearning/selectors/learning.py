"""Reads of a person's learning used outside the modules pages (ADR 0033)."""

from django.db.models import Exists, OuterRef

from elearning.models import Module, ModuleProgress


def required_modules_complete(user) -> bool:
    """Whether `user` has completed every published required module (False when there are
    none: nothing to complete is not a completed eLearning). One query."""
    completed = ModuleProgress.objects.filter(module=OuterRef("pk"), user=user, completed_at__isnull=False)
    outstanding = Module.objects.filter(is_published=True, is_required=True).annotate(done=Exists(completed))
    states = set(outstanding.values_list("done", flat=True))
    return states == {True}
