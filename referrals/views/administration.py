"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def administration(request):
    raise Http404("Not built yet")


def form_settings(request):
    raise Http404("Not built yet")


def question_create(request):
    raise Http404("Not built yet")


def question_edit(request, question_id):
    raise Http404("Not built yet")


def notification_settings(request):
    raise Http404("Not built yet")


def users(request):
    raise Http404("Not built yet")


def user_add(request):
    raise Http404("Not built yet")


def user_edit(request, user_id):
    raise Http404("Not built yet")


def audit(request):
    raise Http404("Not built yet")


def audit_export(request):
    raise Http404("Not built yet")
