"""R7: recording outcomes: who may, the branching questions, the history, bad input."""

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from referrals.forms.outcome import OutcomeForm
from referrals.models import Outcome, Referral
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trust = CentreFactory(name="Midlands Partnership Foundation Trust")
    council = CentreFactory(name="Stoke on Trent City Council")
    register_build(centres=[trust, council])
    referrer = register_person(centre=trust, role=Role.REFERRER)
    admin = register_person(centre=trust, role=Role.DSR_ADMIN, user__first_name="Ada", user__last_name="Admin")
    referral = ReferralFactory(centre=trust, created_by=referrer, first_name="Ruby", last_name="Scarlet")
    council_referral = ReferralFactory(
        centre=council, created_by=register_person(centre=council, role=Role.REFERRER), first_name="Wendy"
    )
    return {
        "trust": trust,
        "council": council,
        "referrer": referrer,
        "admin": admin,
        "referral": referral,
        "council_referral": council_referral,
    }


def outcomes_url(referral):
    return reverse("referrals:outcomes", kwargs={"referral_id": referral.public_id})


@pytest.fixture
def admin_client(client, login_as, world):
    return login_as(world["admin"], world["trust"])


MEETING_HAPPENED = {
    "cetr_requested": "yes",
    "laep_requested": "no",
    "meeting_happened": "yes",
    "result": "avoided",
    "notes": "Crisis plan agreed.",
}


def test_administrator_sees_the_form_and_tabs(admin_client, world):
    response = admin_client.get(outcomes_url(world["referral"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Has a Care (Education) and Treatment Review (C(E)TR) been requested?" in body
    assert "Outcomes (0)" in body
    assert "Save and update" in body
    assert "Save and archive" in body
    assert reverse("referrals:archive", kwargs={"referral_id": world["referral"].public_id}) in body
    viewed = AuditEvent.objects.get(action="referral.viewed")
    assert viewed.actor == world["admin"]
    assert viewed.target_id == str(world["referral"].public_id)
    assert viewed.centre == world["trust"]


def test_save_and_update_records_an_outcome_and_keeps_the_record_active(admin_client, world):
    referral = world["referral"]
    before = Referral.objects.get(pk=referral.pk)
    versions = referral.history.count()
    response = admin_client.post(outcomes_url(referral), {**MEETING_HAPPENED, "save": "update"})
    assert response.status_code == 302
    outcome = Outcome.objects.get(referral=referral)
    assert outcome.cetr_requested is True
    assert outcome.laep_requested is False
    assert outcome.meeting_happened is True
    assert outcome.result == Outcome.Result.ADMISSION_AVOIDED
    assert outcome.notes == "Crisis plan agreed."
    assert outcome.recorded_by == world["admin"]
    assert outcome.archived is False
    assert outcome.centre == world["trust"]
    referral.refresh_from_db()
    assert referral.archived_at is None
    assert referral.updated_at > before.updated_at
    assert referral.updated_by == world["admin"]
    assert referral.history.count() == versions  # an outcome is not a change to the referral
    event = AuditEvent.objects.get(action="referral.outcome_recorded")
    assert event.actor == world["admin"]
    assert event.target_id == str(referral.public_id)
    page = admin_client.get(response.url).content.decode()
    assert "Outcome saved for Ruby Scarlet" in page
    assert "Outcomes (1)" in page
    assert "Admission avoided with additional support" in page
    assert "Ada Admin" in page


def test_history_lists_outcomes_newest_first(admin_client, world):
    referral = world["referral"]
    admin_client.post(outcomes_url(referral), {"cetr_requested": "no", "laep_requested": "no", "notes": "First one"})
    admin_client.post(outcomes_url(referral), {"cetr_requested": "no", "laep_requested": "no", "notes": "Second one"})
    body = admin_client.get(outcomes_url(referral)).content.decode()
    assert "Outcomes (2)" in body
    assert body.index("Second one") < body.index("First one")


def test_meeting_did_not_happen_needs_a_reason(admin_client, world):
    referral = world["referral"]
    response = admin_client.post(
        outcomes_url(referral), {"cetr_requested": "no", "laep_requested": "yes", "meeting_happened": "no"}
    )
    assert response.status_code == 200
    assert "Enter why the meeting did not happen" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select yes if a C(E)TR has been requested"),
        ({"cetr_requested": "yes"}, "Select yes if a LAEP has been requested"),
        ({"cetr_requested": "maybe", "laep_requested": "no"}, "Select yes if a C(E)TR has been requested"),
        ({"cetr_requested": "yes", "laep_requested": "no"}, "Select yes if the C(E)TR or LAEP meeting happened"),
        ({"cetr_requested": "yes", "laep_requested": "no", "meeting_happened": "yes"}, "Select the outcome"),
        (
            {"cetr_requested": "yes", "laep_requested": "no", "meeting_happened": "yes", "result": "discharged!"},
            "Select the outcome",
        ),
        ({"cetr_requested": "no", "laep_requested": "no", "notes": "x" * 5001}, "5,000 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(admin_client, world, data, message):
    response = admin_client.post(outcomes_url(world["referral"]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.outcome_recorded").exists()


def test_answers_that_do_not_apply_are_dropped(admin_client, world):
    referral = world["referral"]
    admin_client.post(
        outcomes_url(referral),
        {
            "cetr_requested": "no",
            "laep_requested": "no",
            "meeting_happened": "yes",
            "result": "admitted",
            "why_not_happened": "Nobody came",
        },
    )
    outcome = Outcome.objects.get(referral=referral)
    assert outcome.meeting_happened is None
    assert outcome.result == ""
    assert outcome.why_not_happened == ""
    admin_client.post(
        outcomes_url(referral),
        {
            "cetr_requested": "yes",
            "laep_requested": "no",
            "meeting_happened": "no",
            "why_not_happened": "Postponed",
            "result": "admitted",
        },
    )
    latest = Outcome.objects.filter(referral=referral).first()
    assert latest.meeting_happened is False
    assert latest.why_not_happened == "Postponed"
    assert latest.result == ""


def test_the_form_drops_answers_without_saving_anything():
    form = OutcomeForm(
        {
            "cetr_requested": "yes",
            "laep_requested": "yes",
            "meeting_happened": "yes",
            "result": "plan",
            "why_not_happened": "ignored",
        }
    )
    assert form.is_valid(), form.errors
    assert form.answers()["why_not_happened"] == ""
    assert form.answers()["result"] == "plan"


@pytest.mark.parametrize("role", [Role.REFERRER, Role.DSR_REPORTING])
def test_referrers_and_reporting_users_get_403(client, login_as, world, role):
    person = register_person(centre=world["trust"], role=role)
    login_as(person, world["trust"])
    referral = world["referral"]
    assert client.get(outcomes_url(referral)).status_code == 403
    assert client.post(outcomes_url(referral), MEETING_HAPPENED).status_code == 403
    archive = reverse("referrals:archive", kwargs={"referral_id": referral.public_id})
    assert client.post(archive, {**MEETING_HAPPENED, "confirm": "yes"}).status_code == 403
    assert not Outcome.objects.exists()


def test_the_referrer_who_created_it_gets_403_too(client, login_as, world):
    login_as(world["referrer"], world["trust"])
    assert client.get(outcomes_url(world["referral"])).status_code == 403


def test_administrator_limited_to_another_organisation_gets_404_and_is_audited(client, login_as, world):
    limited = register_person(centre=world["trust"], role=Role.DSR_ADMIN, limited_to=[world["trust"]])
    login_as(limited, world["trust"])
    other = world["council_referral"]
    assert client.get(outcomes_url(other)).status_code == 404
    assert client.post(outcomes_url(other), MEETING_HAPPENED).status_code == 404
    assert not Outcome.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused", actor=limited).count() == 2


def test_another_registers_referral_is_404(admin_client, world):
    elsewhere = CentreFactory()
    register_build(name="Other DSR", centres=[elsewhere])
    stranger = ReferralFactory(centre=elsewhere, created_by=register_person(centre=elsewhere, role=Role.REFERRER))
    assert admin_client.get(outcomes_url(stranger)).status_code == 404
    assert admin_client.post(outcomes_url(stranger), MEETING_HAPPENED).status_code == 404
    assert admin_client.get("/dsr/referrals/not-a-uuid/outcomes/").status_code == 404
    assert not Outcome.objects.exists()
