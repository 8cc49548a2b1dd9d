"""PassportAccess (ADR 0027): the one answer to "who may see this passport". Not yours and
not there look the same (None, so the page is the same 404)."""

import uuid

import pytest
from django.urls import reverse

from centres.roles import Role
from passports.access import passport_access_for_user, passport_record_may_download
from passports.models import StaffListEntry
from passports.tests.test_supervisor_data import request_build, world_build
from reporting.models import ReportJob
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return world_build(centre=CentreFactory(), sections=1, per_section=3)


def _access(member, centre=None):
    return passport_access_for_user(user=member.user, centre=centre or member.centre)


def test_flags_come_from_the_centre_access(world):
    assessor, educator = _access(world.assessor), _access(world.educator)
    assert (assessor.can_assess, assessor.can_supervise, assessor.can_sign_off) == (True, False, False)
    assert (educator.can_assess, educator.can_supervise, educator.can_sign_off) == (True, True, True)


def test_supervisors_see_the_learners_they_supervise_and_educators_their_staff_list(world):
    other_educator = MembershipFactory(centre=world.centre, role=Role.EDUCATOR)
    stranger = MembershipFactory(centre=world.centre, role=Role.ASSESSOR)
    assert list(_access(world.assessor).visible_enrolments()) == [world.enrolment]
    assert list(_access(stranger).visible_enrolments()) == []
    assert list(_access(other_educator).visible_enrolments()) == []
    StaffListEntry.objects.create(
        centre=world.centre, educator=other_educator.user, membership=world.learner, email=world.learner.user.email
    )
    assert list(_access(other_educator).visible_enrolments()) == [world.enrolment]
    # The staff list counts only for an educator: the same entry gives an assessor nothing.
    StaffListEntry.objects.create(
        centre=world.centre, educator=stranger.user, membership=world.learner, email=world.learner.user.email
    )
    assert list(_access(stranger).visible_enrolments()) == []


def test_not_yours_and_not_there_are_the_same_answer(world):
    stranger = MembershipFactory(centre=world.centre, role=Role.ASSESSOR)
    request = request_build(world.enrolment, world.assessor.user)
    mine = _access(world.assessor)
    assert mine.enrolment(world.enrolment.public_id) == world.enrolment
    assert mine.confirmation_request(request.public_id) == request
    theirs = _access(stranger)
    for lookup in (theirs.enrolment, theirs.confirmation_request, theirs.sign_off, theirs.record_enrolment):
        assert lookup(world.enrolment.public_id) is None
        assert lookup(uuid.uuid4()) is None
    assert theirs.confirmation_request(request.public_id) is None


def test_record_is_seen_by_its_learner_supervisors_and_educators_only(world):
    other_learner = MembershipFactory(centre=world.centre)
    other_educator = MembershipFactory(centre=world.centre, role=Role.EDUCATOR)
    enrolment_id = world.enrolment.public_id
    for member in (world.learner, world.assessor, world.educator, other_educator):
        assert _access(member).record_enrolment(enrolment_id) == world.enrolment
    assert _access(other_learner).record_enrolment(enrolment_id) is None
    # At another centre the same id names nothing, even for an educator there.
    elsewhere = CentreFactory()
    educator_elsewhere = MembershipFactory(centre=elsewhere, role=Role.EDUCATOR)
    assert _access(educator_elsewhere).record_enrolment(enrolment_id) is None


def test_record_download_check_is_the_same_rule(world):
    job = ReportJob(centre=world.centre, params={"enrolment_id": str(world.enrolment.public_id)})
    assert passport_record_may_download(job=job, user=world.learner.user, held=frozenset())
    stranger = MembershipFactory(centre=world.centre)
    assert not passport_record_may_download(job=job, user=stranger.user, held=frozenset())
    assert passport_record_may_download(job=job, user=stranger.user, held=frozenset({"centres.supervise_learners"}))


def test_pages_answer_404_alike_and_query_counts_stay_flat(client, login_as, world, django_assert_max_num_queries):
    stranger = MembershipFactory(centre=world.centre, role=Role.ASSESSOR)
    login_as(stranger.user, world.centre)
    theirs = client.get(reverse("passports:supervise_enrolment", kwargs={"enrolment_id": world.enrolment.public_id}))
    missing = client.get(reverse("passports:supervise_enrolment", kwargs={"enrolment_id": uuid.uuid4()}))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    login_as(world.assessor.user, world.centre)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("passports:supervise_enrolment", kwargs={"enrolment_id": world.enrolment.public_id}))
    assert page.status_code == 200
