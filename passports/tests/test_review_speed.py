"""Issue 16 item 3: supervisor review at speed. "Confirm all" (the request, or a section) with no
ticking, "Select all" links that work without JavaScript, each proficiency's description and the
supernumerary flag on the review page, the actions before the list as well as after it, distinct
to-do titles for two requests from one learner (Supervise and home), and query counts that do not
grow with the number of results or requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passports.models import ConfirmationItem, Proficiency, Result, ResultStatus, Supervisor
from passports.tests.factories import enrolment_build
from passports.tests.test_supervisor_data import request_build, world_build

pytestmark = pytest.mark.django_db


def _url(request):
    return reverse("passports:supervise_request", kwargs={"request_id": request.public_id})


@pytest.fixture
def world(centre):
    return world_build(centre=centre, sections=2, per_section=5)


@pytest.fixture
def open_request(world):
    return request_build(world.enrolment, world.assessor.user)


def test_review_page_shows_descriptions_supernumerary_and_actions_first(world, open_request, login_as, client):
    first = world.enrolment.version.proficiencies.order_by("position").first()
    Proficiency.objects.filter(pk=first.pk).update(is_supernumerary=True)
    login_as(world.assessor.user, world.centre)
    body = client.get(_url(open_request)).content.decode()
    assert body.count("nhsuk-tag--purple") == 1
    assert ">Supernumerary</strong>" in body
    assert "<p>Do task 1.1 safely.</p>" in body  # the description, inside a collapsed details
    assert body.count("app-review-item__description") == 10
    # The whole-request actions come before the list, and again after it.
    assert body.index("Confirm all 10 results") < body.index("Proficiency 1.1") < body.index("Confirm ticked results")
    assert body.count("Confirm all 5") == 2  # one per section
    assert "Select all in this section" in body
    # Cancel beside reject is a link back, not a button that reads as an action.
    assert f'<a class="nhsuk-link" href="{reverse("passports:supervise")}">Cancel and go back to Supervise</a>' in body
    assert "review-select.js" in body
    # Every "Confirm all" belongs to its own form: Enter in the list never confirms everything.
    assert body.count('form="review-confirm-all" name="confirm_all"') == body.count('name="confirm_all"') == 3
    assert '<form method="post" action="' + _url(open_request) + '" id="review-confirm-all"' in body


def test_select_all_links_tick_without_javascript(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    assert client.get(_url(open_request)).content.decode().count(" checked>") == 0
    assert client.get(_url(open_request) + "?tick=all").content.decode().count(" checked>") == 10
    section_two = client.get(_url(open_request) + "?tick=section-2").content.decode()
    assert section_two.count(" checked>") == 5
    ticked = section_two.split('id="section-2"')[1]
    assert ticked.count(" checked>") == 5  # the second section's, not the first's
    assert client.get(_url(open_request) + "?tick=section-9").content.decode().count(" checked>") == 0
    assert client.get(_url(open_request) + "?tick=nonsense").content.decode().count(" checked>") == 0


def test_confirm_all_in_a_section_then_the_rest(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    response = client.post(_url(open_request), {"confirm_all": "1", "comment": "Seen on the ward"})
    assert response.status_code == 302
    statuses = dict(Result.objects.filter(enrolment=world.enrolment).values_list("proficiency__position", "status"))
    assert [statuses[p] for p in range(1, 6)] == [ResultStatus.CONFIRMED] * 5
    assert [statuses[p] for p in range(6, 11)] == [ResultStatus.REQUESTED] * 5
    assert set(
        Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).values_list(
            "reviewer_comment", flat=True
        )
    ) == {"Seen on the ward"}
    # A second press of the same section's button (a double submit) changes nothing.
    again = client.post(_url(open_request), {"confirm_all": "1"})
    assert again.status_code == 400
    assert "no longer waiting for confirmation" in again.content.decode()
    assert Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).count() == 5
    response = client.post(_url(open_request), {"confirm_all": "all"})
    assert response.status_code == 302
    assert response.url == reverse("passports:supervise")  # the request is done
    assert not ConfirmationItem.objects.filter(request=open_request, outcome="pending").exists()


def test_confirm_all_is_only_for_the_supervisor_asked(world, open_request, login_as, client):
    login_as(world.educator.user, world.centre)
    client.post(_url(open_request), {"confirm_all": "all"})
    assert not Result.objects.filter(enrolment=world.enrolment, status=ResultStatus.CONFIRMED).exists()


def test_two_requests_from_one_learner_have_distinct_titles(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    first = request_build(world.enrolment, world.assessor.user, results[:3])
    second = request_build(world.enrolment, world.assessor.user, results[3:5])
    type(first).objects.filter(pk=first.pk).update(requested_at=first.requested_at.replace(year=2025))
    login_as(world.assessor.user, world.centre)
    name = world.learner.user.get_full_name()
    framework = world.enrolment.framework.name
    dashboard = client.get(reverse("passports:supervise")).content.decode()
    home = client.get("/").content.decode()
    for body in (dashboard, home):
        assert f"Confirm results for {name}&#39;s {framework}: 3 results, asked " in body
        assert f"Confirm results for {name}&#39;s {framework}: 2 results, asked " in body
    assert "2025" in dashboard.split(": 3 results, asked ")[1][:30]
    assert "2 confirmation requests waiting for you" in home
    # The review page's title says which request it is too.
    title = client.get(_url(second)).content.decode().split("<title>")[1].split("</title>")[0]
    assert f"Confirm results for {name}'s {framework} (asked " in title


def _add_learners(world, count):
    for _ in range(count):
        enrolment = enrolment_build(centre=world.centre, version=world.enrolment.version, educator=world.educator)
        Supervisor.objects.create(
            centre=world.centre, enrolment=enrolment, user=world.assessor.user, added_by=enrolment.membership.user
        )
        request_build(enrolment, world.assessor.user, list(enrolment.results.order_by("pk"))[:3])


def test_review_page_queries_do_not_grow_with_its_results(centre, login_as, client, django_assert_num_queries):
    small = world_build(centre=centre, sections=1, per_section=2)
    large = world_build(centre=centre, sections=6, per_section=8, learner=None)
    small_request = request_build(small.enrolment, small.assessor.user)
    large_request = request_build(large.enrolment, large.assessor.user)
    login_as(small.assessor.user, centre)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(small_request)).status_code == 200
    login_as(large.assessor.user, centre)
    with django_assert_num_queries(len(few)):
        body = client.get(_url(large_request)).content.decode()
    assert "Confirm all 48 results" in body


def test_supervisor_home_queries_do_not_grow_with_requests(world, login_as, client, django_assert_num_queries):
    _add_learners(world, 2)
    login_as(world.assessor.user, world.centre)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    _add_learners(world, 30)
    with django_assert_num_queries(len(few)):
        body = client.get("/").content.decode()
    assert "32 confirmation requests waiting for you" in body
    assert "and 27 more on the Supervise page" in body
