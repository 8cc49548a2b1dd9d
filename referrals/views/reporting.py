"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def dashboard(request):
    raise Http404("Not built yet")


def report_create(request):
    raise Http404("Not built yet")
