"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def referral_create(request):
    raise Http404("Not built yet")


def referral_detail(request, referral_id):
    raise Http404("Not built yet")


def referral_history(request, referral_id):
    raise Http404("Not built yet")


def referral_notes(request, referral_id):
    raise Http404("Not built yet")
