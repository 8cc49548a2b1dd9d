"""P3 enrolment and removal, P11 confirmations carried from another centre."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.ownership import membership_accept
from centres.roles import Role
from notifications.models import OutboundEmail
from passports.models import Enrolment, FrameworkVersion, Proficiency, Result, ResultStatus, Section, Supervisor
from passports.services.enrolment import EnrolmentError, enrolment_create, enrolment_remove
from passports.services.staff import staff_entries_add
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
def version():
    return framework_version_build(sections=2, per_section=3)


@pytest.fixture
def entry(centre, educator, learner):
    return staff_entries_add(centre=centre, educator=educator.user, emails_text=learner.user.email).added[0]


def _enrol(centre, learner, version, educator, complete_by=None):
    return enrolment_create(
        centre=centre,
        membership=learner,
        framework=version.framework,
        complete_by=complete_by,
        enrolled_by=educator.user,
    )


def test_enrolment_creates_results_supervisor_audit_and_email(centre, learner, version, educator):
    due = timezone.localdate() + datetime.timedelta(days=30)
    enrolment = _enrol(centre, learner, version, educator, complete_by=due)
    assert (enrolment.version, enrolment.complete_by, enrolment.enrolled_by) == (version, due, educator.user)
    results = Result.objects.for_centre(centre).filter(enrolment=enrolment)
    assert results.count() == 6
    assert set(results.values_list("status", flat=True)) == {ResultStatus.NOT_ASSESSED}
    assert Result.history.filter(enrolment_id=enrolment.pk).count() == 6
    supervisor = Supervisor.objects.for_centre(centre).get(enrolment=enrolment)
    assert supervisor.user == educator.user
    assert supervisor.is_enrolling_educator
    assert AuditEvent.objects.filter(centre=centre, action="enrolment.created", target_id=str(enrolment.public_id))
    email = OutboundEmail.objects.get(template="passports/emails/enrolment_created")
    assert email.to == [learner.user.email]
    assert version.framework.name in email.subject
    assert due.strftime("%-d %B %Y") in email.text_body


def test_enrols_on_the_published_version_only(centre, learner, version, educator):
    version.status = FrameworkVersion.Status.RETIRED
    version.save()
    with pytest.raises(EnrolmentError, match="no published version"):
        _enrol(centre, learner, version, educator)
    draft = FrameworkVersion.objects.create(framework=version.framework, number=2)
    with pytest.raises(EnrolmentError):
        _enrol(centre, learner, draft, educator)


def test_already_enrolled_gets_a_clear_message(centre, learner, version, educator):
    _enrol(centre, learner, version, educator)
    with pytest.raises(EnrolmentError, match="already enrolled on"):
        _enrol(centre, learner, version, educator)


def test_complete_by_must_be_in_the_future(centre, learner, version, educator):
    with pytest.raises(EnrolmentError, match="future"):
        _enrol(centre, learner, version, educator, complete_by=timezone.localdate())


def test_unapproved_or_other_centre_people_cannot_be_enrolled(centre, version, educator):
    with pytest.raises(EnrolmentError, match="approved, active"):
        _enrol(centre, MembershipFactory(centre=centre, unapproved=True), version, educator)
    with pytest.raises(EnrolmentError, match="not registered at this centre"):
        _enrol(centre, MembershipFactory(centre=CentreFactory()), version, educator)


def test_a_670_item_framework_is_one_bulk_insert(centre, learner, educator, django_assert_max_num_queries):
    version = framework_version_build(sections=10, per_section=67)
    assert version.proficiencies.count() == 670
    with django_assert_max_num_queries(25):
        enrolment = _enrol(centre, learner, version, educator)
    assert enrolment.results.count() == 670


def test_enrol_page_enrols_with_a_date(client, login_as, centre, educator, learner, version, entry):
    login_as(educator.user, centre)
    url = reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id})
    page = client.get(url).content.decode()
    assert version.framework.name in page
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(url, {"framework": str(version.framework.public_id), "complete_by": due.isoformat()})
    assert response.status_code == 302
    assert Enrolment.objects.for_centre(centre).get(membership=learner).complete_by == due
    again = client.post(url, {"framework": str(version.framework.public_id)})
    assert again.status_code == 400
    assert "is already enrolled on" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a framework"),
        ({"framework": "not-a-framework"}, "Select one of the frameworks listed"),
        ({"complete_by": "31/02/2027"}, "real date"),
        ({"complete_by": "2020-01-01"}, "must be in the future"),
    ],
)
def test_enrol_page_bad_input(client, login_as, centre, educator, version, entry, data, message):
    login_as(educator.user, centre)
    data = {"framework": str(version.framework.public_id), **data} if "framework" not in data and data else data
    response = client.post(reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_not_registered_entry_cannot_be_enrolled(client, login_as, centre, educator, version):
    entry = staff_entries_add(centre=centre, educator=educator.user, emails_text="new@trust.nhs.example").added[0]
    login_as(educator.user, centre)
    url = reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id})
    assert "has not registered" in client.get(url).content.decode()
    client.post(url, {"framework": str(version.framework.public_id)})
    assert not Enrolment.objects.exists()


def test_assessor_cannot_enrol(client, login_as, centre, entry, version):
    assessor = MembershipFactory(centre=centre, role=Role.ASSESSOR)
    login_as(assessor.user, centre)
    url = reverse("passports:enrolment_create", kwargs={"entry_id": entry.public_id})
    assert client.get(url).status_code == 403
    assert client.post(url, {"framework": str(version.framework.public_id)}).status_code == 403


def test_educator_removes_before_the_learner_starts(client, login_as, centre, educator, learner, version, entry):
    enrolment = _enrol(centre, learner, version, educator)
    login_as(educator.user, centre)
    url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    assert "Remove enrolment" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.removed_at is not None
    assert enrolment.removed_by == educator.user
    assert Result.objects.filter(enrolment=enrolment).count() == 6  # soft removal keeps the record
    assert AuditEvent.objects.filter(centre=centre, action="enrolment.removed").exists()
    # Removed: the learner may be enrolled again.
    _enrol(centre, learner, version, educator)


def test_after_the_learner_starts_only_an_administrator_removes(client, login_as, centre, educator, learner, version):
    enrolment = _enrol(centre, learner, version, educator)
    enrolment.started_at = timezone.now()
    enrolment.save()
    with pytest.raises(EnrolmentError, match="only an administrator"):
        enrolment_remove(enrolment=enrolment, removed_by=educator.user)
    login_as(educator.user, centre)
    url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    assert "You cannot remove this enrolment" in client.get(url).content.decode()
    client.post(url)
    enrolment.refresh_from_db()
    assert enrolment.removed_at is None
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(administrator.user, centre)
    assert client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.removed_by == administrator.user


def test_educator_cannot_remove_enrolments_of_people_not_on_their_list(client, login_as, centre, learner, version):
    enrolling = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    enrolment = _enrol(centre, learner, version, enrolling)
    stranger = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    login_as(stranger.user, centre)
    url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_learner_and_assessor_cannot_remove(client, login_as, centre, educator, learner, version):
    enrolment = _enrol(centre, learner, version, educator)
    url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    for member in (learner, MembershipFactory(centre=centre, role=Role.ASSESSOR)):
        login_as(member.user, centre)
        assert client.post(url).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.removed_at is None


def test_other_centres_enrolment_is_404(client, login_as, centre, version):
    elsewhere = CentreFactory()
    enrolment = enrolment_build(centre=elsewhere, version=version)
    administrator = MembershipFactory(centre=centre, role=Role.ADMINISTRATOR)
    login_as(administrator.user, centre)
    url = reverse("passports:enrolment_remove", kwargs={"enrolment_id": enrolment.public_id})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# -- P11 --------------------------------------------------------------------------------------


def _new_version_same_keys(version: FrameworkVersion) -> FrameworkVersion:
    """Version 2 of the same framework: same proficiency keys, renumbered, one new item."""
    version.status = FrameworkVersion.Status.RETIRED
    version.save()
    new = FrameworkVersion.objects.create(
        framework=version.framework, number=2, status=FrameworkVersion.Status.PUBLISHED, published_at=timezone.now()
    )
    section = Section.objects.create(version=new, position=1, name="All")
    old = list(version.proficiencies.order_by("position"))
    for position, proficiency in enumerate(reversed(old), start=1):
        Proficiency.objects.create(
            version=new, section=section, position=position, key=proficiency.key, name=proficiency.name
        )
    Proficiency.objects.create(version=new, section=section, position=len(old) + 1, name="Brand new")
    return new


def _confirmed_elsewhere(learner, version):
    """The learner's first two results confirmed at another centre; returns those results."""
    first_centre = CentreFactory()
    first_membership = MembershipFactory(centre=first_centre, user=learner.user)
    confirmer = MembershipFactory(centre=first_centre, role=Role.EDUCATOR)
    old = enrolment_build(centre=first_centre, version=version, learner=first_membership, educator=confirmer)
    old_results = list(old.results.order_by("proficiency__position"))
    for result in old_results[:2]:
        result.status, result.answer = ResultStatus.CONFIRMED, "achieved"
        result.reviewed_by, result.reviewed_at = confirmer.user, timezone.now()
        result.save()
    return old_results[:2]


def test_results_are_not_carried_into_a_record_the_person_has_not_accepted(centre, learner, educator, version):
    """Finding 1: a record the centre made (never taken up by the person) pulls in nothing
    from the person's other centres; once they accept it (their welcome link, joining
    themselves), it does."""
    _confirmed_elsewhere(learner, version)
    assert learner.accepted_at is None
    enrolment = _enrol(centre, learner, version, educator)
    assert not enrolment.results.filter(status=ResultStatus.CONFIRMED).exists()
    enrolment.removed_at = timezone.now()
    enrolment.save(update_fields=["removed_at"])
    membership_accept(membership=learner)
    again = _enrol(centre, learner, version, educator)
    assert again.results.filter(status=ResultStatus.CONFIRMED).count() == 2


def test_confirmed_results_at_another_centre_are_carried(centre, learner, educator, version):
    membership_accept(membership=learner)
    first_centre = CentreFactory()
    first_membership = MembershipFactory(centre=first_centre, user=learner.user)
    confirmer = MembershipFactory(centre=first_centre, role=Role.EDUCATOR)
    old = enrolment_build(centre=first_centre, version=version, learner=first_membership, educator=confirmer)
    confirmed_at = timezone.now() - datetime.timedelta(days=40)
    old_results = list(old.results.order_by("proficiency__position"))
    for result in old_results[:2]:
        result.status, result.answer = ResultStatus.CONFIRMED, "achieved"
        result.reviewed_by, result.reviewed_at, result.reviewer_comment = confirmer.user, confirmed_at, "Well done"
        result.save()
    old_results[2].status = ResultStatus.SELF_ASSESSED
    old_results[2].save()
    new_version = _new_version_same_keys(version)

    enrolment = _enrol(centre, learner, new_version, educator)

    carried = Result.objects.for_centre(centre).filter(enrolment=enrolment, status=ResultStatus.CONFIRMED)
    assert {r.proficiency.key for r in carried} == {r.proficiency.key for r in old_results[:2]}
    for result in carried:
        assert result.confirmed_at_centre == first_centre
        assert (result.reviewed_by, result.reviewed_at) == (confirmer.user, confirmed_at)
        assert result.answer == "achieved"
    # Self-assessed elsewhere is not carried; neither is anything from a different person.
    assert enrolment.results.exclude(status=ResultStatus.CONFIRMED).count() == 5
    assert (
        "2 proficiencies you had confirmed"
        in OutboundEmail.objects.get(template="passports/emails/enrolment_created").text_body
    )


def test_nothing_is_carried_from_someone_else_or_another_framework(centre, learner, educator, version):
    first_centre = CentreFactory()
    someone_else = enrolment_build(centre=first_centre, version=version)
    someone_else.results.update(status=ResultStatus.CONFIRMED)
    other_framework = framework_version_build()
    mine_elsewhere = enrolment_build(
        centre=first_centre, version=other_framework, learner=MembershipFactory(centre=first_centre, user=learner.user)
    )
    mine_elsewhere.results.update(status=ResultStatus.CONFIRMED)
    enrolment = _enrol(centre, learner, version, educator)
    assert not enrolment.results.filter(status=ResultStatus.CONFIRMED).exists()
