"""PLACEHOLDER: replaced by the area's own views (issue 6 branches)."""

from django.http import Http404


def referral_list(request):
    raise Http404("Not built yet")
