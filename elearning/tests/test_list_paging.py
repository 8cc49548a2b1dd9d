"""Review of issue 14: the pending invitations list and a staff member's requests are paged in
the database (Paginator + core.presenters.page_links, like the historic lists), with the same
number of queries for a few rows as for many."""

import pytest
from django.urls import reverse

from elearning.models import AccountRequest
from elearning.tests.invitation_helpers import invite, site_with_authoriser
from elearning.tests.sites_factories import request_make, site_staff_make
from elearning.views import invitations as invitation_views
from elearning.views import sites as site_views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(login_as):
    site, authoriser = site_with_authoriser(name="Leeds Community Site")
    login_as(authoriser, site)
    return site, authoriser


def _invite(site, authoriser, start: int, count: int) -> None:
    for index in range(start, start + count):
        invite(site, authoriser, email=f"person{index}@example.org", first_name=f"Person{index}")


def test_pending_invitations_are_paged_with_constant_queries(
    client, site, django_assert_num_queries, django_assert_max_num_queries
):
    site, authoriser = site
    url = reverse("elearning:invitations", kwargs={"site_id": site.public_id})
    _invite(site, authoriser, 0, 3)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(20) as small:  # the page, header and access checks
        assert client.get(url).status_code == 200
    _invite(site, authoriser, 3, invitation_views.PENDING_PAGE_SIZE * 2)  # three pages
    with django_assert_num_queries(len(small.captured_queries)):
        first = client.get(url).content.decode()
    with django_assert_num_queries(len(small.captured_queries)):
        last = client.get(url, {"page": 3}).content.decode()
    size = invitation_views.PENDING_PAGE_SIZE
    assert first.count("Resend<span") == size
    assert f"Showing 1 to {size} of {size * 2 + 3} invitations" in first
    assert 'href="?page=2"' in first
    assert last.count("Resend<span") == 3
    assert "person0@example.org" in last  # newest first: the first sent is on the last page
    assert "person0@example.org" not in first
    assert client.get(url, {"page": "not a number"}).status_code == 200


def test_a_staff_members_requests_are_paged_with_constant_queries(
    client, site, django_assert_num_queries, django_assert_max_num_queries
):
    site, _authoriser = site
    staff = site_staff_make(site, user=UserFactory(first_name="Sam", last_name="Staff"))
    url = reverse("elearning:site_staff", kwargs={"site_id": site.public_id, "staff_id": staff.public_id})
    for _ in range(2):
        request_make(staff, kind=AccountRequest.Kind.EDIT_USER, status="completed", detail="Old request")
    client.get(url)
    with django_assert_max_num_queries(20) as small:  # the page, header and access checks
        body = client.get(url).content.decode()
    assert body.count("Old request") == 2
    assert "Showing 1 to" not in body  # one page: no pagination
    size = site_views.REQUESTS_PAGE_SIZE
    for _ in range(size * 2):
        request_make(staff, kind=AccountRequest.Kind.EDIT_USER, status="completed", detail="Later request")
    with django_assert_num_queries(len(small.captured_queries)):
        first = client.get(url).content.decode()
    with django_assert_num_queries(len(small.captured_queries)):
        last = client.get(url, {"page": 3}).content.decode()
    assert first.count("Later request") == size
    assert f"Showing 1 to {size} of {size * 2 + 2} requests" in first
    assert last.count("Old request") == 2  # oldest last
    assert "Old request" not in first
