"""Issue 11 data paths, passport side: every passport form that names a framework, a person
or a result is posted with values of another centre, another enrolment, or someone without the
role, and must refuse with nothing written."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import RoleAssignment
from centres.roles import Role
from passports.models import (
    ConfirmationItem,
    ConfirmationRequest,
    Enrolment,
    FrameworkVersion,
    Result,
    SignOff,
    StaffListEntry,
    Supervisor,
)
from passports.services.assessment import result_assess
from passports.services.staff import staff_entries_add
from passports.tests.factories import enrolment_build, framework_version_build
from tests.data_paths import assert_nothing_written
from tests.factories import CentreFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSPORT = (Enrolment, Result, Supervisor, ConfirmationRequest, ConfirmationItem, SignOff)


@pytest.fixture
def world():
    alpha, bravo = CentreFactory(name="Alpha Trust"), CentreFactory(name="Bravo Hospital")
    learner = MembershipFactory(centre=alpha)
    educator = MembershipFactory(centre=alpha, role=Role.EDUCATOR)
    assessor = MembershipFactory(centre=alpha, role=Role.ASSESSOR)
    enrolment = enrolment_build(
        centre=alpha, version=framework_version_build(sections=1, per_section=2), learner=learner, educator=educator
    )
    Supervisor.objects.create(centre=alpha, enrolment=enrolment, user=assessor.user, added_by=learner.user)
    b_members = [MembershipFactory(centre=bravo, role=role) for role in (None, Role.EDUCATOR, Role.ASSESSOR)]
    return {
        "alpha": alpha,
        "bravo": bravo,
        "learner": learner,
        "educator": educator,
        "assessor": assessor,
        "plain": MembershipFactory(centre=alpha),
        "enrolment": enrolment,
        "b_educator": b_members[1],
        "b_assessor": b_members[2],
        "b": _b_request(bravo, b_members),
        "staff": UserFactory(platform_staff=True),
    }


def _b_request(bravo, b_members):
    """B's learner with an open confirmation request to B's assessor (as in the isolation world)."""
    learner, educator, assessor = b_members
    enrolment = enrolment_build(
        centre=bravo, version=framework_version_build(sections=1, per_section=2), learner=learner, educator=educator
    )
    Supervisor.objects.create(centre=bravo, enrolment=enrolment, user=assessor.user, added_by=learner.user)
    request = ConfirmationRequest.objects.create(
        centre=bravo, enrolment=enrolment, supervisor=assessor.user, last_sent_at=timezone.now()
    )
    for result in enrolment.results.all():
        result.answer, result.status = "achieved", "requested"
        result.save()
        ConfirmationItem.objects.create(centre=bravo, request=request, result=result)
    return {"enrolment": enrolment, "request": request}


def _revoke(user, centre):
    """Revoke the person's roles through the service, as the centre's manager would."""
    from accounts.models import User
    from centres.services.roles import role_revoke

    manager = User.objects.get(email=f"factory.manager.{centre.code.lower()}@platform.nhs.example")
    for assignment in RoleAssignment.objects.for_centre(centre).filter(user=user, revoked_at__isnull=True):
        role_revoke(assignment=assignment, revoked_by=manager)


def _self_assess_all(world):
    for result in world["enrolment"].results.all():
        result_assess(result=result, answer="achieved", action_plan="", actor=world["learner"].user)


# -- P3 enrolment: the framework --------------------------------------------------------------


@pytest.mark.parametrize("status", [FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.RETIRED])
def test_enrolling_on_a_framework_without_a_published_version_is_refused(world, login_as, status):
    unpublished = framework_version_build(name="Unpublished Zanzibar", status=status)
    newcomer = MembershipFactory(centre=world["alpha"])
    entry = staff_entries_add(
        centre=world["alpha"], educator=world["educator"].user, emails_text=newcomer.user.email
    ).added[0]
    client = login_as(world["educator"].user, world["alpha"])
    url = reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id})
    with assert_nothing_written(*PASSPORT):
        response = client.post(url, {"framework": str(unpublished.framework.public_id)})
    assert response.status_code == 400
    assert "Select one of the frameworks listed" in response.content.decode()


# -- P5 a learner adds a supervisor ----------------------------------------------------------


@pytest.mark.parametrize("who", ["b_educator", "b_assessor", "plain", "staff", "learner"])
def test_adding_a_supervisor_who_is_not_an_educator_or_assessor_here_is_refused(world, login_as, who):
    person = world[who] if who == "staff" else world[who].user
    client = login_as(world["learner"].user, world["alpha"])
    url = reverse("passports:supervisor_list", kwargs={"enrolment_id": world["enrolment"].public_id})
    with assert_nothing_written(Supervisor):
        response = client.post(url, {"supervisor": str(person.public_id)})
    assert response.status_code == 400
    assert "Select one of the people listed" in response.content.decode()


def test_adding_a_supervisor_whose_role_was_revoked_is_refused(world, login_as):
    former = MembershipFactory(centre=world["alpha"], role=Role.ASSESSOR)
    _revoke(former.user, world["alpha"])
    client = login_as(world["learner"].user, world["alpha"])
    url = reverse("passports:supervisor_list", kwargs={"enrolment_id": world["enrolment"].public_id})
    with assert_nothing_written(Supervisor):
        response = client.post(url, {"supervisor": str(former.user.public_id)})
    assert response.status_code == 400


# -- P6 confirmation request: the supervisor and the results ---------------------------------


def _request_url(enrolment):
    return reverse("passports:learner_request_confirmation", kwargs={"enrolment_id": enrolment.public_id})


@pytest.mark.parametrize("who", ["b_assessor", "b_educator", "plain", "staff"])
def test_confirmation_request_to_someone_not_supervising_this_passport_is_refused(world, login_as, who):
    _self_assess_all(world)
    person = world[who] if who == "staff" else world[who].user
    client = login_as(world["learner"].user, world["alpha"])
    with assert_nothing_written(*PASSPORT):
        response = client.post(
            _request_url(world["enrolment"]), {"supervisor": str(person.public_id), "results": ["1"]}
        )
    assert response.status_code == 400
    assert "Select one of your supervisors" in response.content.decode()


def test_confirmation_request_for_results_not_ready_or_not_this_passports_is_refused(world, login_as):
    result_assess(
        result=world["enrolment"].results.order_by("proficiency__position").first(),
        answer="achieved",
        action_plan="",
        actor=world["learner"].user,
    )
    client = login_as(world["learner"].user, world["alpha"])
    b_result = world["b"]["enrolment"].results.first()
    for results in (["2"], ["99"], [str(b_result.pk)], [str(b_result.proficiency.position + 1000)]):
        with assert_nothing_written(*PASSPORT):
            response = client.post(
                _request_url(world["enrolment"]),
                {"supervisor": str(world["assessor"].user.public_id), "results": results},
            )
        assert response.status_code == 400, results
        assert "Select only proficiencies listed here" in response.content.decode()


def test_confirmation_request_to_a_supervisor_who_lost_the_role_is_refused(world, login_as):
    _self_assess_all(world)
    _revoke(world["assessor"].user, world["alpha"])
    client = login_as(world["learner"].user, world["alpha"])
    with assert_nothing_written(*PASSPORT):
        response = client.post(
            _request_url(world["enrolment"]),
            {"supervisor": str(world["assessor"].user.public_id), "results": ["1"]},
        )
    assert response.status_code == 400


# -- P8 sign-off request: the educator -------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "b_educator", "plain", "staff"])
def test_sign_off_request_to_someone_who_is_not_an_educator_on_this_passport_is_refused(world, login_as, who):
    world["enrolment"].results.update(answer="achieved", status="confirmed")
    person = world[who] if who == "staff" else world[who].user
    client = login_as(world["learner"].user, world["alpha"])
    url = reverse("passports:signoff", kwargs={"enrolment_id": world["enrolment"].public_id})
    with assert_nothing_written(*PASSPORT):
        response = client.post(url, {"educator": str(person.public_id)})
    assert response.status_code == 400
    assert "Select one of the educators listed" in response.content.decode()


# -- P7 review: result ids of another request --------------------------------------------------


def _alpha_request(world):
    from passports.services.confirmation import confirmation_request_create

    _self_assess_all(world)
    return confirmation_request_create(
        enrolment=world["enrolment"],
        supervisor=world["assessor"].user,
        results=list(world["enrolment"].results.all()),
        actor=world["learner"].user,
    )


@pytest.mark.parametrize("post", ["selected", "one"])
def test_reviewing_results_of_another_request_is_refused(world, login_as, post):
    own = _alpha_request(world)
    # B's request's items (and an id that names no item) may not be decided here.
    foreign_items = [*world["b"]["request"].items.values_list("pk", flat=True), 10**9]
    client = login_as(world["assessor"].user, world["alpha"])
    url = reverse("passports:supervise_request", kwargs={"request_id": own.public_id})
    for item in foreign_items:
        data = (
            {"action": "confirm", "selected": [str(item)]}
            if post == "selected"
            else {"one": f"confirm:{item}", f"comment_{item}": "ok"}
        )
        with assert_nothing_written(*PASSPORT):
            response = client.post(url, data)
        assert response.status_code == 400
    assert world["b"]["request"].items.filter(outcome=ConfirmationItem.Outcome.PENDING).count() == 2


def test_the_service_refuses_a_supervisor_without_the_role_or_account(world):
    """The service repeats the rule, so no other caller can send results to them."""
    from passports.services.confirmation import confirmation_request_create
    from passports.services.errors import PassportError

    _self_assess_all(world)
    results = list(world["enrolment"].results.all())
    _revoke(world["assessor"].user, world["alpha"])
    world["educator"].user.is_active = False
    world["educator"].user.save(update_fields=["is_active"])
    for supervisor in (world["assessor"].user, world["educator"].user, world["b"]["request"].supervisor):
        with assert_nothing_written(*PASSPORT), pytest.raises(PassportError):
            confirmation_request_create(
                enrolment=world["enrolment"], supervisor=supervisor, results=results, actor=world["learner"].user
            )


def test_resending_a_request_to_a_supervisor_who_lost_the_role_is_refused(world, login_as):
    from notifications.models import OutboundEmail

    own = _alpha_request(world)
    ConfirmationRequest.objects.filter(pk=own.pk).update(last_sent_at=timezone.now() - timedelta(days=2))
    _revoke(world["assessor"].user, world["alpha"])
    client = login_as(world["learner"].user, world["alpha"])
    url = reverse(
        "passports:learner_request_resend",
        kwargs={"enrolment_id": world["enrolment"].public_id, "request_id": own.public_id},
    )
    with assert_nothing_written(*PASSPORT, OutboundEmail):
        response = client.post(url, follow=True)
    assert "no longer assesses at this centre" in response.content.decode()


# -- Same centre, not theirs: another supervisor's request, another educator's staff list ------


def test_a_supervisor_cannot_decide_results_sent_to_another_supervisor(world, login_as):
    own = _alpha_request(world)  # sent to the assessor
    client = login_as(world["educator"].user, world["alpha"])  # also supervises this passport
    item = own.items.first()
    with assert_nothing_written(*PASSPORT):
        response = client.post(
            reverse("passports:supervise_request", kwargs={"request_id": own.public_id}),
            {"action": "confirm", "selected": [str(item.pk)]},
            follow=True,
        )
    assert "Only the supervisor this request was sent to" in response.content.decode()


def test_an_educator_cannot_answer_a_sign_off_request_sent_to_another_educator(world, login_as):
    other_educator = MembershipFactory(centre=world["alpha"], role=Role.EDUCATOR)
    Supervisor.objects.create(
        centre=world["alpha"], enrolment=world["enrolment"], user=other_educator.user, added_by=world["learner"].user
    )
    world["enrolment"].results.update(answer="achieved", status="confirmed")
    sign_off = SignOff.objects.create(
        centre=world["alpha"], enrolment=world["enrolment"], educator=world["educator"].user
    )
    client = login_as(other_educator.user, world["alpha"])
    with assert_nothing_written(*PASSPORT):
        response = client.post(
            reverse("passports:supervise_signoff", kwargs={"signoff_id": sign_off.public_id}),
            {"decision": "sign_off"},
            follow=True,
        )
    assert "Only the educator this request was sent to" in response.content.decode()


def test_an_educator_cannot_enrol_someone_from_another_educators_staff_list(world, login_as):
    newcomer = MembershipFactory(centre=world["alpha"])
    entry = staff_entries_add(
        centre=world["alpha"], educator=world["educator"].user, emails_text=newcomer.user.email
    ).added[0]
    other_educator = MembershipFactory(centre=world["alpha"], role=Role.EDUCATOR)
    framework = framework_version_build().framework
    client = login_as(other_educator.user, world["alpha"])
    with assert_nothing_written(*PASSPORT):
        response = client.post(
            reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id}),
            {"framework": str(framework.public_id)},
        )
    assert response.status_code == 404


def test_removing_a_supervisor_of_another_passport_or_an_entry_of_another_list_is_404(world, login_as):
    other = enrolment_build(centre=world["alpha"], version=framework_version_build(sections=1, per_section=1))
    other_supervisor = other.supervisors.get().user
    client = login_as(world["learner"].user, world["alpha"])
    url = reverse(
        "passports:supervisor_remove",
        kwargs={"enrolment_id": world["enrolment"].public_id, "supervisor_user_id": other_supervisor.public_id},
    )
    with assert_nothing_written(*PASSPORT):
        assert client.post(url).status_code == 404
    entry = staff_entries_add(
        centre=world["alpha"], educator=world["educator"].user, emails_text=world["plain"].user.email
    ).added[0]
    other_educator = MembershipFactory(centre=world["alpha"], role=Role.EDUCATOR)
    client = login_as(other_educator.user, world["alpha"])
    with assert_nothing_written(StaffListEntry):
        response = client.post(reverse("passports:staff_remove", kwargs={"entry_id": entry.public_id}))
    assert response.status_code == 404


def test_a_supervisor_who_lost_the_role_is_not_offered(world, login_as):
    _self_assess_all(world)
    for member in (world["assessor"], world["educator"]):
        _revoke(member.user, world["alpha"])
    client = login_as(world["learner"].user, world["alpha"])
    page = client.get(_request_url(world["enrolment"])).content.decode()
    assert "You have no supervisors for this passport yet" in page
    assert str(world["assessor"].user.public_id) not in page
