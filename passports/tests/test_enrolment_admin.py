"""Issue 16 item 12: administrators list the centre's enrolments (filter by framework and
learner, paginated in the database) and remove a started one from there; the educator's "only an
administrator can" message links to it; the learner's notes travel with confirmed results."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.ownership import membership_accept
from centres.roles import Role
from passports.models import Enrolment, Result, ResultStatus
from passports.services.enrolment import enrolment_create
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("passports:enrolment_list")


@pytest.fixture
def versions():
    return framework_version_build(name="IV Therapy", sections=1, per_section=2), framework_version_build(
        name="Step 1", sections=1, per_section=2
    )


def _learner(centre, first, last):
    return MembershipFactory(centre=centre, user=UserFactory(first_name=first, last_name=last))


def _names(response) -> list[str]:
    return re.findall(r'aria-hidden="true">Learner </span><span>([^<]+)<br>', response.content.decode())


def test_only_administrators_open_the_list(client, login_as, centre):
    for role in (None, Role.EDUCATOR, Role.ASSESSOR):
        login_as(MembershipFactory(centre=centre, role=role).user, centre)
        assert client.get(LIST_URL).status_code == 403
    login_as(MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user, centre)
    assert client.get(LIST_URL).status_code == 200


def test_list_filters_by_framework_and_learner_and_shows_this_centre_only(client, login_as, centre, versions):
    iv, step = versions
    ada, bob = _learner(centre, "Ada", "Archer"), _learner(centre, "Bob", "Baker")
    enrolment_build(centre=centre, version=iv, learner=ada)
    enrolment_build(centre=centre, version=step, learner=ada)
    enrolment_build(centre=centre, version=iv, learner=bob)
    removed = enrolment_build(centre=centre, version=step, learner=bob)
    Enrolment.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    enrolment_build(centre=CentreFactory(), version=iv, learner=None)  # another centre's
    login_as(MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user, centre)

    assert _names(client.get(LIST_URL)) == ["Ada Archer", "Ada Archer", "Bob Baker"]
    assert _names(client.get(LIST_URL, {"framework": str(step.framework.public_id)})) == ["Ada Archer"]
    assert _names(client.get(LIST_URL, {"learner": "bak"})) == ["Bob Baker"]
    assert _names(client.get(LIST_URL, {"learner": bob.delegate_number.lower()})) == ["Bob Baker"]
    nothing = client.get(LIST_URL, {"learner": "zzz", "framework": "not-a-framework"})
    assert nothing.status_code == 200
    assert "No enrolments match the filters" in nothing.content.decode()


def test_list_is_paginated_in_the_database_with_constant_queries(
    client, login_as, centre, versions, django_assert_max_num_queries
):
    iv, _ = versions
    login_as(MembershipFactory(centre=centre, role=Role.ADMINISTRATOR).user, centre)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    for index in range(3):
        enrolment_build(centre=centre, version=iv, learner=_learner(centre, "Few", f"L{index:02}"), educator=educator)
    client.get(LIST_URL)  # warm the session and the header's caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST_URL)
    for index in range(3, 30):
        enrolment_build(centre=centre, version=iv, learner=_learner(centre, "Many", f"L{index:02}"), educator=educator)
    with django_assert_max_num_queries(len(few)):
        page = client.get(LIST_URL)
    assert len(_names(page)) == 25
    assert "Showing 1 to 25 of 30 enrolments" in page.content.decode()
    assert len(_names(client.get(LIST_URL, {"page": 2}))) == 5


def test_administrator_removes_a_started_enrolment_from_the_list(client, login_as, centre, versions):
    iv, _ = versions
    enrolment = enrolment_build(centre=centre, version=iv, learner=_learner(centre, "Sam", "Started"))
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now())
    remove_url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(administrator.user, centre)
    assert f'href="{remove_url}"' in client.get(LIST_URL).content.decode()
    page = client.get(remove_url).content.decode()
    assert f'href="{LIST_URL}"' in page  # back to the list
    response = client.post(remove_url)
    assert response["Location"] == LIST_URL
    enrolment.refresh_from_db()
    assert enrolment.removed_by == administrator.user
    assert _names(client.get(LIST_URL)) == []


def test_educator_told_only_an_administrator_can_gets_the_link(client, login_as, centre, versions):
    iv, _ = versions
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    learner = _learner(centre, "Sam", "Started")
    enrolment = enrolment_build(centre=centre, version=iv, learner=learner, educator=educator)
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now())
    login_as(educator.user, centre)
    page = client.get(reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id}))
    html = page.content.decode()
    assert "only an administrator" in html
    link = re.search(r'<a href="([^"]+)">Enrolments page', html).group(1).replace("&amp;", "&")
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(administrator.user, centre)
    assert _names(client.get(link)) == ["Sam Started"]


def test_learners_note_travels_with_confirmed_results_to_a_second_centre(centre):
    """P11 with the learner's own note (`action_plan`), as well as the reviewer's comment."""
    version = framework_version_build(sections=1, per_section=3)
    first = CentreFactory()
    learner_there = MembershipFactory(centre=first)
    old = enrolment_build(centre=first, version=version, learner=learner_there)
    old_results = list(old.results.order_by("proficiency__position"))
    old_results[0].status, old_results[0].answer = ResultStatus.CONFIRMED, "achieved"
    old_results[0].reviewed_at, old_results[0].reviewer_comment = timezone.now(), "Well done"
    old_results[0].action_plan = "Practised on the ward with Sister Jones"
    old_results[0].save()
    old_results[1].status, old_results[1].action_plan = ResultStatus.SELF_ASSESSED, "Not confirmed: stays behind"
    old_results[1].save()

    here = MembershipFactory(centre=centre, user=learner_there.user)
    membership_accept(membership=here)
    enrolment = enrolment_create(
        centre=centre,
        membership=here,
        framework=version.framework,
        complete_by=None,
        enrolled_by=MembershipFactory(centre=centre, role=Role.EDUCATOR).user,
    )
    results = {r.proficiency.key: r for r in Result.objects.for_centre(centre).filter(enrolment=enrolment)}
    carried = results[old_results[0].proficiency.key]
    assert carried.status == ResultStatus.CONFIRMED
    assert carried.reviewer_comment == "Well done"
    assert carried.action_plan == "Practised on the ward with Sister Jones"
    assert results[old_results[1].proficiency.key].action_plan == ""
