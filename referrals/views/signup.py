"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def signup(request, register_slug):
    raise Http404("Not built yet")


def signup_done(request, register_slug):
    raise Http404("Not built yet")
