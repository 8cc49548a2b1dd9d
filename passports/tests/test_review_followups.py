"""Issue 16 items 3 and 11 follow-ups on the supervisor pages.

- The review page's default button: pressing Enter in a checkbox or text field submits a form's
  first submit button, which was the first result's "Confirm this result" inside its closed
  section. The first submit button of the review form now confirms the ticked results only,
  and a POST with no button at all confirms nothing.
- Supervise ("My learners") and a learner's passport as a supervisor sees it show the learner's
  own stacked progress bar and legend, with the numbers the learner sees, at no extra query per
  learner (the constant-query tests in test_supervisor.py still hold; one more here)."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passports.models import ConfirmationItem, Result, ResultStatus, Supervisor
from passports.tests.factories import enrolment_build
from passports.tests.test_supervisor_data import request_build, results_answer, world_build

pytestmark = pytest.mark.django_db

DASHBOARD = "/passports/supervise/"


@pytest.fixture
def world(centre):
    return world_build(centre=centre, sections=2, per_section=5)


@pytest.fixture
def open_request(world):
    return request_build(world.enrolment, world.assessor.user)


def _url(request):
    return reverse("passports:supervise_request", kwargs={"request_id": request.public_id})


class _SubmitButtons(HTMLParser):
    """The submit buttons owned by the review form (class app-review-form), in tree order:
    what a browser picks its default button from."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # > 0 inside the review form
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "app-review-form" in (attrs.get("class") or ""):
            self.depth = 1
        elif tag == "form" and self.depth:
            self.depth += 1
        elif self.depth and tag == "button" and attrs.get("type", "submit") == "submit" and "form" not in attrs:
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1


def _confirmed():
    return set(Result.objects.filter(status=ResultStatus.CONFIRMED).values_list("pk", flat=True))


def test_the_review_forms_default_button_confirms_only_ticked_results(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    parser = _SubmitButtons()
    parser.feed(client.get(_url(open_request)).content.decode())
    default = parser.buttons[0]
    assert (default["name"], default["value"]) == ("action", "confirm")
    assert default["tabindex"] == "-1"
    assert default["aria-hidden"] == "true"
    assert "nhsuk-u-visually-hidden" in default["class"]
    assert any(b.get("name") == "one" for b in parser.buttons[1:])  # the per-result buttons come later


def test_enter_with_nothing_ticked_confirms_nothing(world, open_request, login_as, client):
    """What the browser sends on Enter: the default button's name and value, nothing ticked."""
    login_as(world.assessor.user, world.centre)
    response = client.post(_url(open_request), {"action": "confirm", "comment": "typed, then Enter"})
    assert response.status_code == 400
    assert "Select the results you want to confirm" in response.content.decode()
    assert not _confirmed()


def test_enter_with_one_ticked_confirms_that_one_only(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    items = list(ConfirmationItem.objects.filter(request=open_request).order_by("result__proficiency__position"))
    response = client.post(_url(open_request), {"action": "confirm", "selected": [items[3].pk]})
    assert response.status_code == 302
    assert _confirmed() == {items[3].result_id}


def test_a_post_with_no_button_confirms_nothing(world, open_request, login_as, client):
    login_as(world.assessor.user, world.centre)
    items = list(ConfirmationItem.objects.filter(request=open_request).order_by("result__proficiency__position"))
    first = items[0]
    for data in ({}, {"selected": [items[1].pk]}, {f"comment_{first.pk}": "Good", "comment": "Fine"}):
        response = client.post(_url(open_request), data)
        assert response.status_code == 400
        assert "Choose whether to confirm or reject the selected results" in response.content.decode()
    assert not _confirmed()
    assert not ConfirmationItem.objects.filter(request=open_request).exclude(outcome="pending").exists()


def _legend(body):
    """The legend's parts in words, whitespace collapsed."""
    block = body.split('<ul class="app-progress-legend')[1].split("</ul>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", "<li" + li)).strip() for li in block.split("<li")[1:]]


def test_the_supervisor_sees_the_learners_own_progress(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    request_build(world.enrolment, world.assessor.user, results[:4])
    results_answer(world.enrolment, results[4:6], status=ResultStatus.CONFIRMED)
    results_answer(world.enrolment, results[6:7], status=ResultStatus.REJECTED)
    results_answer(world.enrolment, results[7:8])
    login_as(world.learner.user, world.centre)
    learner_body = client.get(
        reverse("passports:learner_passport", kwargs={"enrolment_id": world.enrolment.public_id})
    ).content.decode()
    login_as(world.assessor.user, world.centre)
    supervisor_body = client.get(
        reverse("passports:supervise_enrolment", kwargs={"enrolment_id": world.enrolment.public_id})
    ).content.decode()
    expected = ["2 confirmed", "4 awaiting confirmation", "2 self-assessed (1 not confirmed)", "2 not started"]
    assert _legend(learner_body) == _legend(supervisor_body) == expected
    assert "app-progress--stacked" in supervisor_body
    assert "app-progress__bar--confirmed app-width-20" in supervisor_body
    assert "Self-assessed, not yet sent" not in supervisor_body  # the old count rows, in other words

    dashboard = re.sub(r"\s+", " ", client.get(DASHBOARD).content.decode())
    assert "<strong>2 of 10</strong> confirmed" in dashboard
    assert "2 confirmed, 4 awaiting confirmation, 2 self-assessed, 2 not started (1 not confirmed)" in dashboard
    assert "app-progress__bar--requested app-width-40" in dashboard


def test_supervise_progress_adds_no_query_per_learner(world, login_as, client, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            enrolment = enrolment_build(centre=world.centre, version=world.enrolment.version, educator=world.educator)
            Supervisor.objects.create(
                centre=world.centre, enrolment=enrolment, user=world.assessor.user, added_by=enrolment.membership.user
            )
            results_answer(enrolment, list(enrolment.results.order_by("pk"))[:3], status=ResultStatus.CONFIRMED)

    add(1)
    login_as(world.assessor.user, world.centre)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    add(10)
    with django_assert_num_queries(len(few)):
        body = client.get(DASHBOARD).content.decode()
    assert body.count("app-progress--stacked") == 12
