"""P5: the learner's supervisors (own enrolment only; the enrolling educator stays)."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from passports.models import Supervisor
from passports.services.supervisors import SupervisorError, supervisor_add, supervisor_remove
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def educator(centre):
    return MembershipFactory(centre=centre, role=Role.EDUCATOR)


@pytest.fixture
def learner(centre):
    return MembershipFactory(centre=centre)


@pytest.fixture
def enrolment(centre, learner, educator):
    return enrolment_build(centre=centre, version=framework_version_build(), learner=learner, educator=educator)


def _list_url(enrolment):
    return reverse("passports:supervisor_list", kwargs={"enrolment_id": enrolment.public_id})


def _remove_url(enrolment, user):
    return reverse(
        "passports:supervisor_remove",
        kwargs={"enrolment_id": enrolment.public_id, "supervisor_user_id": user.public_id},
    )


def test_learner_lists_and_adds_an_assessor(client, login_as, centre, learner, educator, enrolment):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    plain = MembershipFactory(centre=centre)
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(learner.user, centre)
    page = client.get(_list_url(enrolment)).content.decode()
    assert educator.user.get_full_name() in page
    assert "always one of your supervisors" in page
    assert str(assessor.user.public_id) in page  # a choice
    assert str(plain.user.public_id) not in page
    assert str(administrator.user.public_id) not in page
    assert _remove_url(enrolment, educator.user) not in page  # no remove button for the enrolling educator
    response = client.post(_list_url(enrolment), {"supervisor": str(assessor.user.public_id)})
    assert response.status_code == 302
    assert Supervisor.objects.for_centre(centre).filter(enrolment=enrolment, user=assessor.user).exists()
    assert AuditEvent.objects.filter(centre=centre, action="supervisor.added").exists()


def test_only_educators_and_assessors_can_be_added(client, login_as, centre, learner, enrolment):
    plain = MembershipFactory(centre=centre)
    elsewhere = MembershipFactory(centre=CentreFactory(), role=Role.ASSESSOR)
    for user in (plain.user, elsewhere.user):
        with pytest.raises(SupervisorError, match="not an educator or assessor"):
            supervisor_add(enrolment=enrolment, user=user, added_by=learner.user)
    login_as(learner.user, centre)
    response = client.post(_list_url(enrolment), {"supervisor": str(plain.user.public_id)})
    assert response.status_code == 400
    assert "Select one of the people listed" in response.content.decode()


def test_adding_twice_or_oneself_is_refused(centre, learner, enrolment):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    supervisor_add(enrolment=enrolment, user=assessor.user, added_by=learner.user)
    with pytest.raises(SupervisorError, match="already one of your supervisors"):
        supervisor_add(enrolment=enrolment, user=assessor.user, added_by=learner.user)
    with pytest.raises(SupervisorError, match="own passport"):
        supervisor_add(enrolment=enrolment, user=learner.user, added_by=learner.user)


def test_learner_removes_a_supervisor_after_confirming(client, login_as, centre, learner, enrolment):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    supervisor_add(enrolment=enrolment, user=assessor.user, added_by=learner.user)
    login_as(learner.user, centre)
    url = _remove_url(enrolment, assessor.user)
    assert url in client.get(_list_url(enrolment)).content.decode()
    assert "Remove supervisor" in client.get(url).content.decode()
    assert Supervisor.objects.filter(enrolment=enrolment, user=assessor.user).exists()
    assert client.post(url).status_code == 302
    assert not Supervisor.objects.filter(enrolment=enrolment, user=assessor.user).exists()
    assert AuditEvent.objects.filter(centre=centre, action="supervisor.removed").exists()


def test_enrolling_educator_cannot_be_removed(client, login_as, centre, learner, educator, enrolment):
    supervisor = Supervisor.objects.get(enrolment=enrolment, user=educator.user)
    with pytest.raises(SupervisorError, match="cannot be removed"):
        supervisor_remove(supervisor=supervisor, removed_by=learner.user)
    login_as(learner.user, centre)
    url = _remove_url(enrolment, educator.user)
    assert "You cannot remove" in client.get(url).content.decode()
    client.post(url)
    assert Supervisor.objects.filter(pk=supervisor.pk).exists()


def test_learner_sees_only_their_own_enrolment(client, login_as, centre, educator, enrolment):
    someone = MembershipFactory(centre=centre)
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(someone.user, centre)
    assert client.get(_list_url(enrolment)).status_code == 404
    assert client.post(_list_url(enrolment), {"supervisor": str(assessor.user.public_id)}).status_code == 404
    login_as(educator.user, centre)  # even the educator: these pages are the learner's
    assert client.get(_list_url(enrolment)).status_code == 404
    assert client.post(_remove_url(enrolment, educator.user)).status_code == 404
    with pytest.raises(SupervisorError, match="Only the learner"):
        supervisor_add(enrolment=enrolment, user=assessor.user, added_by=someone.user)


def test_other_centre_enrolment_is_404(client, login_as, centre, learner):
    elsewhere = CentreFactory()
    their_enrolment = enrolment_build(
        centre=elsewhere,
        version=framework_version_build(),
        learner=MembershipFactory(centre=elsewhere, user=learner.user),
    )
    login_as(learner.user, centre)  # the same person, but the current centre is not that one
    assert client.get(_list_url(their_enrolment)).status_code == 404


def test_supervisor_page_query_count(client, login_as, centre, learner, enrolment, django_assert_max_num_queries):
    for _ in range(6):
        supervisor_add(
            enrolment=enrolment, user=MembershipFactory(centre=centre, role=Role.ASSESSOR).user, added_by=learner.user
        )
    for _ in range(6):
        MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(learner.user, centre)
    client.get(_list_url(enrolment))
    with django_assert_max_num_queries(12):
        assert client.get(_list_url(enrolment)).status_code == 200


def test_removing_a_supervisor_takes_back_what_was_waiting_for_them(centre, learner, enrolment):
    from passports.models import ConfirmationRequest, ResultStatus, SignOff
    from passports.services.assessment import result_assess
    from passports.services.confirmation import confirmation_request_create

    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    second_educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    supervisor_add(enrolment=enrolment, user=assessor.user, added_by=learner.user)
    supervisor_add(enrolment=enrolment, user=second_educator.user, added_by=learner.user)
    results = list(enrolment.results.order_by("proficiency__position")[:2])
    for result in results:
        result_assess(result=result, answer="achieved", action_plan="", actor=learner.user)
    request = confirmation_request_create(
        enrolment=enrolment, supervisor=assessor.user, results=results, actor=learner.user
    )
    sign_off = SignOff.objects.create(centre=centre, enrolment=enrolment, educator=second_educator.user)

    supervisor_remove(supervisor=enrolment.supervisors.get(user=assessor.user), removed_by=learner.user)
    supervisor_remove(supervisor=enrolment.supervisors.get(user=second_educator.user), removed_by=learner.user)

    request.refresh_from_db()
    sign_off.refresh_from_db()
    assert request.status == ConfirmationRequest.Status.WITHDRAWN
    assert sign_off.status == SignOff.Status.WITHDRAWN
    assert {r.status for r in enrolment.results.filter(pk__in=[r.pk for r in results])} == {ResultStatus.SELF_ASSESSED}
