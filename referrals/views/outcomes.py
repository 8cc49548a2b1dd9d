"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def referral_outcomes(request, referral_id):
    raise Http404("Not built yet")


def referral_archive(request, referral_id):
    raise Http404("Not built yet")
