"""R8: Save and archive with a confirmation step; archived records are read-only on the outcome
and archive routes (helper A's tests cover the update and note routes)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from referrals.access import RegisterAccess
from referrals.models import Outcome, Referral
from referrals.services.outcomes import ReferralArchived, outcome_record, referral_archive
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

ARCHIVE_ANSWERS = {
    "cetr_requested": "yes",
    "laep_requested": "no",
    "meeting_happened": "no",
    "why_not_happened": "Postponed by the family",
    "notes": "Stable now.",
    "summary_for_next_meeting": "Doing well at home.",
    "plan_from_meeting": "Close: support in place.",
}


@pytest.fixture
def world():
    trust = CentreFactory(name="Midlands Partnership Foundation Trust")
    register = register_build(centres=[trust])
    referrer = register_person(centre=trust, role=Role.REFERRER)
    admin = register_person(centre=trust, role=Role.DSR_ADMIN)
    referral = ReferralFactory(centre=trust, created_by=referrer, first_name="Ruby", last_name="Scarlet")
    return {"trust": trust, "register": register, "referrer": referrer, "admin": admin, "referral": referral}


@pytest.fixture
def admin_client(client, login_as, world):
    return login_as(world["admin"], world["trust"])


def urls(referral):
    kwargs = {"referral_id": referral.public_id}
    return reverse("referrals:outcomes", kwargs=kwargs), reverse("referrals:archive", kwargs=kwargs)


def test_save_and_archive_shows_a_confirmation_page_and_writes_nothing(admin_client, world):
    _, archive = urls(world["referral"])
    response = admin_client.post(archive, {**ARCHIVE_ANSWERS, "save": "archive"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Archive Ruby Scarlet's record?</h1>" in body
    assert "Postponed by the family" in body
    assert "Close: support in place." in body
    assert "only in the archived records report" in body
    assert "Yes, archive" in body
    assert "No, go back" in body
    assert 'type="hidden" name="plan_from_meeting" value="Close: support in place."' in body
    assert not Outcome.objects.exists()
    assert Referral.objects.get(pk=world["referral"].pk).archived_at is None


def test_save_and_archive_needs_the_summary_and_plan(admin_client, world):
    _, archive = urls(world["referral"])
    data = {**ARCHIVE_ANSWERS, "summary_for_next_meeting": "", "plan_from_meeting": "  "}
    response = admin_client.post(archive, data)
    body = response.content.decode()
    assert "Enter a summary for the next meeting to archive the record" in body
    assert "Enter the plan from the meeting to archive the record" in body
    # The form again, with the answers.
    assert "Has a Care (Education) and Treatment Review (C(E)TR) been requested?" in body
    assert "Postponed by the family" in body
    assert not Outcome.objects.exists()


def test_yes_archive_records_the_outcome_and_archives(admin_client, world):
    referral = world["referral"]
    outcomes, archive = urls(referral)
    response = admin_client.post(archive, {**ARCHIVE_ANSWERS, "confirm": "yes"})
    assert response.status_code == 302
    assert response.url == outcomes
    referral.refresh_from_db()
    assert referral.archived_at is not None
    assert referral.archived_by == world["admin"]
    outcome = Outcome.objects.get(referral=referral)
    assert outcome.archived is True
    assert outcome.why_not_happened == "Postponed by the family"
    assert outcome.result == ""
    assert outcome.summary_for_next_meeting == "Doing well at home."
    assert AuditEvent.objects.filter(action="referral.archived", target_id=str(referral.public_id)).count() == 1
    page = admin_client.get(outcomes).content.decode()
    assert "record is archived" in page
    assert "Save and update" not in page
    assert "Save and archive" not in page
    assert "Archived the record" in page
    assert "Doing well at home." in page
    # It leaves the list.
    assert "Ruby Scarlet" not in admin_client.get(reverse("referrals:list")).content.decode()


def test_confirmation_re_validates_tampered_answers(admin_client, world):
    _, archive = urls(world["referral"])
    tampered = {**ARCHIVE_ANSWERS, "confirm": "yes", "plan_from_meeting": "", "meeting_happened": "perhaps"}
    response = admin_client.post(archive, tampered)
    assert response.status_code == 200
    assert "Enter the plan from the meeting" in response.content.decode()
    assert not Outcome.objects.exists()
    assert Referral.objects.get(pk=world["referral"].pk).archived_at is None


def test_no_go_back_returns_to_the_form_with_the_answers(admin_client, world):
    outcomes, _ = urls(world["referral"])
    response = admin_client.post(outcomes, {**ARCHIVE_ANSWERS, "back": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in body
    assert 'value="yes" checked' in body
    assert "Postponed by the family" in body
    assert "Close: support in place." in body
    assert not Outcome.objects.exists()


def test_get_on_the_archive_address_goes_back_to_the_form(admin_client, world):
    outcomes, archive = urls(world["referral"])
    response = admin_client.get(archive)
    assert response.status_code == 302
    assert response.url == outcomes


@pytest.fixture
def archived(world):
    referral = world["referral"]
    referral.archived_at = timezone.now()
    referral.archived_by = world["admin"]
    referral.save()
    Outcome.objects.create(
        centre=world["trust"],
        referral=referral,
        recorded_by=world["admin"],
        cetr_requested=False,
        laep_requested=False,
        summary_for_next_meeting="Final summary",
        plan_from_meeting="Final plan",
        archived=True,
    )
    return referral


@pytest.mark.parametrize("route", ["outcomes", "archive"])
def test_archived_record_refuses_outcomes_and_archiving(admin_client, world, archived, route):
    outcomes, archive = urls(archived)
    url = outcomes if route == "outcomes" else archive
    archived_at = archived.archived_at
    response = admin_client.post(url, {**ARCHIVE_ANSWERS, "confirm": "yes"})
    assert response.status_code == 302
    assert response.url == outcomes
    assert Outcome.objects.filter(referral=archived).count() == 1
    archived.refresh_from_db()
    assert archived.archived_at == archived_at
    refusal = AuditEvent.objects.get(action="referral.refused")
    assert "archived" in refusal.summary
    assert refusal.target_id == str(archived.public_id)
    page = admin_client.get(outcomes).content.decode()
    assert "is archived, so it cannot be changed. Nothing was saved." in page


def test_archived_record_shows_outcomes_read_only(admin_client, archived):
    outcomes, _ = urls(archived)
    body = admin_client.get(outcomes).content.decode()
    assert "Final summary" in body
    assert "Outcomes (1)" in body
    assert "<form" not in body.split("<main", 1)[1].split("</main>")[0]


def test_services_refuse_an_archived_record(world, archived):
    access = RegisterAccess(
        user=world["admin"],
        centre=world["trust"],
        register=world["register"],
        can_refer=True,
        can_report=True,
        can_administer=True,
        organisations=[world["trust"]],
    )
    answers = {
        "cetr_requested": False,
        "laep_requested": False,
        "meeting_happened": None,
        "why_not_happened": "",
        "result": "",
        "notes": "",
        "summary_for_next_meeting": "s",
        "plan_from_meeting": "p",
    }
    with pytest.raises(ReferralArchived):
        outcome_record(access=access, referral=archived, answers=answers)
    with pytest.raises(ReferralArchived):
        referral_archive(access=access, referral=archived, answers=answers)
    assert Outcome.objects.filter(referral=archived).count() == 1


def test_archived_in_the_meantime_is_refused_on_confirm(admin_client, world):
    """The confirmation page was open while someone else archived the record."""
    referral = world["referral"]
    _, archive = urls(referral)
    admin_client.post(archive, ARCHIVE_ANSWERS)  # the confirmation page
    Referral.objects.filter(pk=referral.pk).update(archived_at=timezone.now(), archived_by=world["admin"])
    response = admin_client.post(archive, {**ARCHIVE_ANSWERS, "confirm": "yes"})
    assert response.status_code == 302
    assert not Outcome.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused").count() == 1


@pytest.mark.parametrize("role", [Role.REFERRER, Role.DSR_REPORTING])
def test_only_administrators_may_archive(client, login_as, world, role):
    person = register_person(centre=world["trust"], role=role)
    login_as(person, world["trust"])
    _, archive = urls(world["referral"])
    assert client.post(archive, {**ARCHIVE_ANSWERS, "confirm": "yes"}).status_code == 403
    assert Referral.objects.get(pk=world["referral"].pk).archived_at is None


def test_archived_record_leaves_the_referrers_list(client, login_as, world, archived):
    login_as(world["referrer"], world["trust"])
    body = client.get(reverse("referrals:list")).content.decode()
    assert "Ruby Scarlet" not in body
    assert "No referrals yet" in body
