"""P7: the supervisor dashboard (to-do list, my learners) and a learner's passport as a
supervisor sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from passports.models import ConfirmationRequest, Result, ResultStatus, SignOff, StaffListEntry, Supervisor
from passports.selectors import supervisor as selectors
from passports.tests.factories import enrolment_build, framework_version_build
from passports.tests.test_supervisor_data import request_build, results_answer, world_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/passports/supervise/"


@pytest.fixture
def world(centre):
    return world_build(centre=centre)


def test_dashboard_url_and_navigation(world, login_as, client):
    assert reverse("passports:supervise") == DASHBOARD
    login_as(world.assessor.user, world.centre)
    body = client.get(DASHBOARD).content.decode()
    assert f'href="{DASHBOARD}"' in body
    assert ">Supervise<" in body


@pytest.mark.parametrize("role", [None, Role.ADMINISTRATOR, Role.CENTRE_MANAGER])
def test_dashboard_needs_assess(world, login_as, client, centre, role):
    member = world.learner if role is None else MembershipFactory(centre=centre, role=role)
    login_as(member.user, centre)
    assert client.get(DASHBOARD).status_code == 403
    assert f'href="{DASHBOARD}"' not in client.get("/").content.decode()


def test_to_do_list_newest_first(world, login_as, client, centre):
    learner_name = world.learner.user.get_full_name()
    framework = world.enrolment.framework.name
    results = list(world.enrolment.results.order_by("proficiency__position"))
    older = request_build(world.enrolment, world.educator.user, results[:3])
    ConfirmationRequest.objects.filter(pk=older.pk).update(last_sent_at=timezone.now() - timedelta(days=2))
    second = world_build(centre=centre)
    second.educator = world.educator
    Supervisor.objects.create(
        centre=centre, enrolment=second.enrolment, user=world.educator.user, added_by=second.learner.user
    )
    request_build(second.enrolment, world.educator.user, list(second.enrolment.results.all())[:2])
    sign_off = SignOff.objects.create(centre=centre, enrolment=world.enrolment, educator=world.educator.user)
    SignOff.objects.filter(pk=sign_off.pk).update(requested_at=timezone.now() - timedelta(days=1))
    # Not to me, and withdrawn: not on my list.
    request_build(world.enrolment, world.assessor.user, results[3:5])
    withdrawn = request_build(world.enrolment, world.educator.user, results[5:6])
    ConfirmationRequest.objects.filter(pk=withdrawn.pk).update(status=ConfirmationRequest.Status.WITHDRAWN)

    login_as(world.educator.user, centre)
    body = client.get(DASHBOARD).content.decode().replace("&#39;", "'")
    newest = f"Confirm results for {second.learner.user.get_full_name()}'s {second.enrolment.framework.name}"
    middle = f"Sign off {learner_name}'s {framework}"
    oldest = f"Confirm results for {learner_name}'s {framework}"
    assert body.count("Confirm results for") == 2
    assert body.index(newest) < body.index(middle) < body.index(oldest)
    assert "3 results to review" in body
    assert "2 results to review" in body


def test_my_learners_with_counts(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    request_build(world.enrolment, world.assessor.user, results[:4])
    results_answer(world.enrolment, results[4:6], status=ResultStatus.CONFIRMED)
    results_answer(world.enrolment, results[6:7], status=ResultStatus.REJECTED)
    results_answer(world.enrolment, results[7:8])
    learners = selectors.learner_counts_add(
        list(selectors.my_learners(centre=world.centre, user=world.assessor.user, include_staff_list=False))
    )
    assert [e.pk for e in learners] == [world.enrolment.pk]
    e = learners[0]
    assert (e.count_requested, e.count_confirmed, e.count_rejected, e.count_self_assessed, e.count_not_assessed) == (
        4,
        2,
        1,
        1,
        2,
    )
    login_as(world.assessor.user, world.centre)
    body = client.get(DASHBOARD).content.decode()
    assert "2 of 10" in body
    assert world.learner.user.get_full_name() in body


def test_learners_on_an_educators_staff_list_are_shown_but_not_to_assessors(world, login_as, client, centre):
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    for person in (educator, assessor):
        StaffListEntry.objects.create(
            centre=centre, educator=person.user, email=world.learner.user.email, membership=world.learner
        )
    name = world.learner.user.get_full_name()
    login_as(educator.user, centre)
    assert name in client.get(DASHBOARD).content.decode()
    login_as(assessor.user, centre)
    body = client.get(DASHBOARD).content.decode()
    assert name not in body
    assert "No learners yet" in body


def test_removed_enrolments_and_other_centres_are_not_shown(world, login_as, client):
    other_centre = CentreFactory()
    other = world_build(centre=other_centre)
    # The same assessor chosen at another centre: not shown here.
    Supervisor.objects.create(
        centre=other_centre, enrolment=other.enrolment, user=world.assessor.user, added_by=other.learner.user
    )
    request_build(other.enrolment, world.assessor.user)
    login_as(world.assessor.user, world.centre)
    body = client.get(DASHBOARD).content.decode()
    assert "Nothing to do" in body
    assert world.learner.user.get_full_name() in body
    assert other.learner.user.get_full_name() not in body
    world.enrolment.removed_at = timezone.now()
    world.enrolment.save()
    assert "No learners yet" in client.get(DASHBOARD).content.decode()


def test_dashboard_queries_do_not_grow_with_learners(centre, login_as, client, django_assert_max_num_queries):
    assessor = MembershipFactory(centre=centre, role=Role.EDUCATOR)  # sign-off requests go to educators
    version = framework_version_build(sections=1, per_section=3)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)

    def add(n):
        for _ in range(n):
            enrolment = enrolment_build(centre=centre, version=version, educator=educator)
            Supervisor.objects.create(
                centre=centre, enrolment=enrolment, user=assessor.user, added_by=enrolment.membership.user
            )
            request_build(enrolment, assessor.user, list(enrolment.results.all())[:2])
            SignOff.objects.create(centre=centre, enrolment=enrolment, educator=assessor.user)

    add(2)
    login_as(assessor.user, centre)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    add(98)
    with django_assert_max_num_queries(len(few)):
        response = client.get(DASHBOARD)
    body = response.content.decode()
    assert body.count("/passports/supervise/enrolments/") == 25  # one page of learners
    # One page of the to-do list too (it loaded and counted every request before), newest first.
    assert body.count("Confirm results for") + body.count("Sign off ") == 25
    assert "Page 1 of 8 (200 to do)" in body
    with django_assert_max_num_queries(len(few)):
        last = client.get(DASHBOARD + "?todo_page=8&page=4").content.decode()
    assert last.count("Confirm results for") + last.count("Sign off ") == 200 - 7 * 25
    assert "Page 8 of 8 (200 to do)" in last
    assert "Page 4 of 4 (100 learners)" in last
    assert "?todo_page=7&amp;page=4" in last  # the other list keeps its page


# -- a learner's passport as a supervisor sees it ----------------------------------------------


def _enrolment_url(enrolment):
    return reverse("passports:supervise_enrolment", kwargs={"enrolment_id": enrolment.public_id})


def test_supervisor_reads_the_passport(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    request = request_build(world.enrolment, world.assessor.user, results[:2])
    results_answer(world.enrolment, results[2:3], status=ResultStatus.CONFIRMED)
    Result.objects.filter(pk=results[2].pk).update(
        reviewed_by=world.educator.user, reviewed_at=timezone.now(), reviewer_comment="Seen it"
    )
    portable = CentreFactory(name="Harrogate Portable Trust")
    results_answer(world.enrolment, results[3:4], status=ResultStatus.CONFIRMED)
    Result.objects.filter(pk=results[3].pk).update(reviewed_at=timezone.now(), confirmed_at_centre=portable)
    login_as(world.assessor.user, world.centre)
    response = client.get(_enrolment_url(world.enrolment))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Section 1" in body
    assert "Section 2" in body
    assert "Proficiency 2.5" in body
    assert f"Confirmed by {world.educator.user.get_full_name()}" in body
    assert "Comment: Seen it" in body
    assert "confirmed at Harrogate Portable Trust" in body
    assert reverse("passports:supervise_request", kwargs={"request_id": request.public_id}) in body
    assert "Reopen" not in body


def test_passport_page_visibility(world, login_as, client, centre):
    url = _enrolment_url(world.enrolment)
    login_as(world.educator.user, centre)
    assert client.get(url).status_code == 200
    stranger = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    login_as(stranger.user, centre)
    assert client.get(url).status_code == 404
    login_as(world.learner.user, centre)
    assert client.get(url).status_code == 403


def test_passport_page_queries_are_bounded(centre, login_as, client, django_assert_max_num_queries):
    world = world_build(centre=centre, sections=10, per_section=20)
    results_answer(world.enrolment)
    login_as(world.assessor.user, centre)
    with django_assert_max_num_queries(20):
        assert client.get(_enrolment_url(world.enrolment)).status_code == 200


def test_requested_results_say_who_they_are_waiting_for(world, login_as, client):
    results = list(world.enrolment.results.order_by("proficiency__position"))
    request_build(world.enrolment, world.assessor.user, results[:2])
    url = _enrolment_url(world.enrolment)
    login_as(world.assessor.user, world.centre)
    body = client.get(url).content.decode()
    assert body.count("Confirmation requested</strong>") == 2
    assert "Pending confirmation" not in body
    login_as(world.educator.user, world.centre)
    body = client.get(url).content.decode()
    assert body.count("Pending confirmation</strong>") == 2
    assert f"with {world.assessor.user.get_full_name()}" in body


def test_only_supervise_is_the_current_menu_item(world, login_as, client):
    """/passports/supervise/ also starts with /passports/ (the learner's "My passports")."""
    login_as(world.educator.user, world.centre)
    body = client.get(DASHBOARD).content.decode()
    assert body.count('aria-current="page"') == 1
    current = body.index('aria-current="page"')
    assert body.rindex("<a", 0, current) > body.rindex("</a>", 0, current)  # inside one link
    assert ">Supervise</strong>" in body[current : body.index("</a>", current)]


def test_my_learners_are_paginated_in_the_database(world, login_as, client):
    from passports.views.supervisor import LEARNERS_PER_PAGE

    version = framework_version_build(sections=1, per_section=2)
    for _ in range(LEARNERS_PER_PAGE + 2):
        enrolment = enrolment_build(centre=world.centre, version=version)
        Supervisor.objects.create(
            centre=world.centre, enrolment=enrolment, user=world.assessor.user, added_by=enrolment.membership.user
        )
    login_as(world.assessor.user, world.centre)
    first = client.get(reverse("passports:supervise")).content.decode()
    assert f"Page 1 of 2 ({LEARNERS_PER_PAGE + 3} learners)" in first  # and the world's own learner
    second = client.get(reverse("passports:supervise") + "?page=2").content.decode()
    assert "Page 2 of 2" in second


def test_sign_off_requests_leave_the_to_do_list_of_someone_who_can_no_longer_sign_off(world, login_as, client):
    from centres.models import RoleAssignment
    from centres.services.roles import role_revoke
    from tests.factories import grant_role

    SignOff.objects.create(centre=world.centre, enrolment=world.enrolment, educator=world.educator.user)
    login_as(world.educator.user, world.centre)
    assert "Sign off " in client.get(DASHBOARD).content.decode()
    # Now only an assessor: may still confirm results, may no longer sign off.
    grant_role(world.educator.user, world.centre, Role.ASSESSOR)
    manager = MembershipFactory(centre=world.centre, role=Role.CENTRE_MANAGER)
    assignment = RoleAssignment.objects.for_centre(world.centre).get(
        user=world.educator.user, role=Role.EDUCATOR, revoked_at__isnull=True
    )
    role_revoke(assignment=assignment, revoked_by=manager.user)
    body = client.get(DASHBOARD).content.decode()
    assert "Sign off " not in body
