"""R5 list paging (issue 12 finding 7, ADR 0022): "Next"/"Previous" seek from a cursor for
every sort, so each referral is shown exactly once whichever way the list is walked."""

import html
import re

import pytest
from django.urls import reverse

from referrals.models import Risk
from referrals.tests.test_list import admin_client, make, names_in, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

LIST_URL = reverse("referrals:list")


def _link(response, label: str) -> str | None:
    body = response.content.decode()
    match = re.search(rf'<a class="nhsuk-pagination__link nhsuk-pagination__{label}"[^>]*href="([^"]+)"', body)
    if match is None:
        match = re.search(rf'href="([^"]+)"[^>]*class="[^"]*nhsuk-pagination__{label}', body)
    return html.unescape(match.group(1)) if match else None


@pytest.mark.parametrize("sort", ["-updated", "name", "-name", "organisation", "locality", "risk", "-created"])
def test_next_and_previous_walk_every_referral_once(admin_client, world, sort):  # noqa: F811
    risks = list(Risk)
    for n in range(23):
        # Repeated names, localities and risks: the cursor breaks ties on the primary key.
        make(world, f"First{n % 3}", f"Last{n % 4}", risk=risks[n % len(risks)])
    everything = names_in(admin_client.get(LIST_URL, {"sort": sort, "per_page": "100"}))
    assert len(everything) == 23
    response = admin_client.get(LIST_URL, {"sort": sort, "per_page": "10"})
    seen = names_in(response)
    while (following := _link(response, "next")) is not None:
        assert "after=" in following
        response = admin_client.get(LIST_URL + following)
        seen += names_in(response)
    assert "Showing 21 to 23 of 23 referrals" in response.content.decode()
    assert seen == everything
    back = names_in(response)
    while (previous := _link(response, "previous")) is not None:
        assert "before=" in previous
        response = admin_client.get(LIST_URL + previous)
        back = names_in(response) + back
    assert back == everything
    # The numbered last page (read from the end) holds what the seek found.
    last = admin_client.get(LIST_URL, {"sort": sort, "per_page": "10", "page": "3"})
    assert names_in(last) == everything[20:]
