"""Keyset paging of the delegate list (issue 12 finding 7, ADR 0022): numbered links keep
working, "Next"/"Previous" seek from a cursor, pages past the middle are read from the end."""

import html
import re

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import Membership
from centres.paging import KeysetPaginator
from centres.roles import Role
from tests.factories import MembershipFactory, UserFactory, grant_role

pytestmark = pytest.mark.django_db

LIST_URL = reverse("centres:delegate_list")


@pytest.fixture
def admin_client(centre, login_as):
    manager = UserFactory(last_name="Aaa-manager")
    grant_role(manager, centre, Role.CENTRE_MANAGER)
    return login_as(manager, centre)


def _names(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'nhsuk-card__heading[^>]*>\s*<a href="[^"]+">([^<]+)</a>', body)


def _link(response, label: str) -> str | None:
    """The href of the pagination's Next or Previous link."""
    body = response.content.decode()
    match = re.search(rf'<a class="nhsuk-pagination__link nhsuk-pagination__{label}"[^>]*href="([^"]+)"', body)
    if match is None:
        match = re.search(rf'href="([^"]+)"[^>]*class="[^"]*nhsuk-pagination__{label}', body)
    return html.unescape(match.group(1)) if match else None


def test_next_and_previous_walk_every_delegate_once_in_order(centre, admin_client):
    for n in range(62):
        # Repeated surnames and first names: the cursor must break ties on the unique key.
        MembershipFactory(centre=centre, user__last_name=f"Name{n % 4}", user__first_name=f"F{n % 3}")
    expected = [
        f"{m.user.last_name}, {m.user.first_name}"
        for m in Membership.objects.for_centre(centre)
        .filter(user__last_name__startswith="Name")
        .select_related("user")
        .order_by(Lower("user__last_name"), Lower("user__first_name"), "user_id")
    ]
    seen, response, pages = [], admin_client.get(LIST_URL + "?q=Name"), 0
    while True:
        pages += 1
        seen += _names(response)
        following = _link(response, "next")
        if following is None:
            break
        assert "after=" in following  # a seek from the last row shown, not an OFFSET
        response = admin_client.get(LIST_URL + following)
    assert pages == 3
    assert "Page 3 of 3" in response.content.decode()
    assert seen == expected
    back = []
    while (previous := _link(response, "previous")) is not None:
        assert "before=" in previous
        response = admin_client.get(LIST_URL + previous)
        back = _names(response) + back
    assert back == expected[:50]
    assert "Page 1 of 3" in response.content.decode()


@pytest.mark.parametrize("sort", ["", "&sort=registered"])
def test_numbered_pages_from_either_end_match_the_seek(centre, admin_client, sort):
    MembershipFactory.create_batch(70, centre=centre, user__last_name="Pager")
    pages = [_names(admin_client.get(f"{LIST_URL}?q=Pager{sort}&page={n}")) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [25, 25, 20]
    order = ["-created_at", "-pk"] if sort else [Lower("user__last_name"), Lower("user__first_name"), "user_id"]
    expected = [
        f"{m.user.last_name}, {m.user.first_name}"
        for m in Membership.objects.for_centre(centre)
        .filter(user__last_name="Pager")
        .select_related("user")
        .order_by(*order)
    ]
    assert pages[0] + pages[1] + pages[2] == expected  # page 3 is read from the end: the same rows
    last = admin_client.get(f"{LIST_URL}?q=Pager{sort}&page=3")
    assert _names(admin_client.get(LIST_URL + _link(last, "previous"))) == pages[1]
    assert _names(admin_client.get(f"{LIST_URL}?q=Pager{sort}&page=999")) == pages[2]  # past the end: the last


def test_a_tampered_cursor_is_ignored_not_an_error(centre, admin_client):
    MembershipFactory.create_batch(30, centre=centre, user__last_name="Pager")
    first = _names(admin_client.get(LIST_URL + "?q=Pager"))
    for junk in ("nonsense", "e30:1abc:xyz", ""):
        response = admin_client.get(LIST_URL + f"?q=Pager&page=1&after={junk}&before={junk}")
        assert response.status_code == 200
        assert _names(response) == first


def test_last_page_costs_the_queries_of_the_first(centre, admin_client):
    MembershipFactory.create_batch(60, centre=centre)
    with CaptureQueriesContext(connection) as first:
        admin_client.get(LIST_URL)
    with CaptureQueriesContext(connection) as last:
        admin_client.get(LIST_URL + "?page=3")
    assert len(first) == len(last)
    # Read from the end: the page's query has no OFFSET past the rows it shows.
    page_query = next(q["sql"] for q in last.captured_queries if "ORDER BY" in q["sql"] and "LIMIT" in q["sql"])
    assert "OFFSET" not in page_query or re.search(r"OFFSET 0\b", page_query)


def test_paginator_reads_a_page_past_the_middle_from_the_end(centre):
    MembershipFactory.create_batch(11, centre=centre)
    ordered = list(Membership.objects.for_centre(centre).order_by("created_at", "pk"))
    paginator = KeysetPaginator(Membership.objects.for_centre(centre), 4, keys=["created_at", "pk"])
    assert [list(paginator.page_at(n).object_list) for n in (1, 2, 3)] == [ordered[:4], ordered[4:8], ordered[8:]]
    page = paginator.page_at(2)
    assert list(paginator.page_at(3, after=page.next_cursor).object_list) == ordered[8:]
    assert list(paginator.page_at(1, before=page.previous_cursor).object_list) == ordered[:4]
