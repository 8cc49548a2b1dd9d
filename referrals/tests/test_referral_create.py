"""R3: adding a referral (consent, the minimum data set, extra questions, the organisation,
duplicates) and R4: who is emailed about it."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from centres.models import AuditEvent
from centres.roles import Role
from referrals.models import ExtraQuestion, Referral, Register
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

URL = reverse("referrals:create")


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Council")
    register = register_build(centres=[north, south])
    return {
        "register": register,
        "north": north,
        "south": south,
        "referrer": register_person(centre=north, role=Role.REFERRER),
        "admin": register_person(centre=north, role=Role.DSR_ADMIN),
        "reporter": register_person(centre=north, role=Role.DSR_REPORTING),
    }


def valid_post(**overrides) -> dict:
    data = {
        "has_capacity": "yes",
        "consent_given": "yes",
        "first_name": "Jamie",
        "last_name": "Rivers",
        "date_of_birth-day": "15",
        "date_of_birth-month": "3",
        "date_of_birth-year": "1998",
        "nhs_number": "943 476 5919",
        "condition": "autism",
        "ethnicity": "A",
        "locality": "South Staffordshire",
        "criminal_justice": "dont_know",
        "risk": "amber",
        "latest_update": "Placement at risk of breaking down.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_referrer_adds_a_referral_for_their_organisation(world, login_as):
    client = login_as(world["referrer"], world["north"])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "New referral" in html
    assert "Does the person have capacity to consent" in html
    assert "North Trust" in html
    assert 'name="organisation"' not in html
    response = client.post(URL, valid_post())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", kwargs={"referral_id": referral.public_id})
    assert referral.nhs_number == "9434765919"
    assert referral.centre == world["north"]
    assert referral.created_by == world["referrer"]
    assert referral.date_of_birth == date(1998, 3, 15)
    assert referral.reference.startswith("DSR-")
    assert referral.history.count() == 1
    assert referral.history.get().history_user == world["referrer"]
    assert AuditEvent.objects.filter(action="referral.created", target_id=str(referral.public_id)).count() == 1
    follow = client.get(response["Location"])
    assert referral.reference in follow.content.decode()


def test_form_shows_register_configuration(world, login_as):
    register = world["register"]
    register.form_name = "Add to the Staffs DSR"
    register.form_guidance = "Only refer people known to services."
    register.consent_link = "https://example.org/consent.pdf"
    register.save()
    ExtraQuestion.objects.create(register=register, text="Inactive question", is_active=False)
    ExtraQuestion.objects.create(register=register, text="Key worker name", position=1)
    html = login_as(world["referrer"], world["north"]).get(URL).content.decode()
    assert "Add to the Staffs DSR" in html
    assert "Only refer people known to services." in html
    assert "https://example.org/consent.pdf" in html
    assert "Key worker name (optional)" in html
    assert "Inactive question" not in html
    for risk_help in ("significant high risk", "in hospital (an inpatient)"):
        assert risk_help in html


def test_administrator_chooses_among_permitted_organisations(world, login_as):
    client = login_as(world["admin"], world["north"])
    html = client.get(URL).content.decode()
    assert "<select" in html
    assert "South Council" in html
    response = client.post(URL, valid_post(organisation=str(world["south"].public_id)))
    assert response.status_code == 302
    assert Referral.objects.get().centre == world["south"]


def test_administrator_must_pick_an_organisation(world, login_as):
    response = login_as(world["admin"], world["north"]).post(URL, valid_post())
    assert response.status_code == 400
    assert "Select the referring organisation" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["referrer", "admin"])
def test_tampered_organisation_is_refused_and_audited(world, login_as, who):
    elsewhere = CentreFactory(name="Not In This Register")
    if who == "admin":  # limited to north: south is outside their list
        world["admin"] = register_person(centre=world["north"], role=Role.DSR_ADMIN, limited_to=[world["north"]])
    for organisation in (world["south"], elsewhere):
        response = login_as(world[who], world["north"]).post(URL, valid_post(organisation=str(organisation.public_id)))
        assert response.status_code == 400
        assert "Select one of the organisations listed" in response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused").count() == 2


def test_reporting_user_and_platform_staff_cannot_add(world, login_as):
    assert login_as(world["reporter"], world["north"]).get(URL).status_code == 403
    assert login_as(world["reporter"], world["north"]).post(URL, valid_post()).status_code == 403
    staff = register_person(centre=world["north"], role=Role.DSR_ADMIN, user__is_staff=True)
    assert login_as(staff, world["north"]).get(URL).status_code == 403
    assert login_as(staff, world["north"]).post(URL, valid_post()).status_code == 403
    assert not Referral.objects.exists()


TOMORROW = date.today() + timedelta(days=1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"has_capacity": None}, "Select yes if the person has capacity to consent"),
        ({"consent_given": None}, "Select yes if the person has given consent"),
        ({"has_capacity": "no", "consent_given": None}, "Select yes if a best-interest decision has been made"),
        ({"first_name": " "}, "Enter the person's first name"),
        ({"last_name": ""}, "Enter the person's last name"),
        (
            {"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""},
            "Enter the person's date of birth",
        ),
        ({"date_of_birth-month": ""}, "Date of birth must include a month"),
        ({"date_of_birth-day": "31", "date_of_birth-month": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth-year": "98"}, "4-digit year"),
        ({"date_of_birth-day": "x"}, "Date of birth must be a real date"),
        (
            {
                "date_of_birth-day": str(TOMORROW.day),
                "date_of_birth-month": str(TOMORROW.month),
                "date_of_birth-year": str(TOMORROW.year),
            },
            "Date of birth must be today or in the past",
        ),
        ({"date_of_birth-year": "1890"}, "within the last 120 years"),
        ({"nhs_number": ""}, "Enter the person's NHS number"),
        ({"nhs_number": "943 476 5918"}, "Enter a valid NHS number"),
        ({"nhs_number": "12345"}, "Enter the NHS number as 10 digits"),
        ({"condition": "neither"}, "Select learning disability, autism, or both"),
        ({"ethnicity": ""}, "Select the person's ethnicity"),
        ({"locality": "Atlantis"}, "Select the locality"),
        ({"criminal_justice": "maybe"}, "Select yes, no or don't know"),
        ({"risk": "purple"}, "Select the risk level"),
        ({"latest_update": ""}, "Enter the latest update for the DSR meeting"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(world, login_as, overrides, message):
    response = login_as(world["referrer"], world["north"]).post(URL, valid_post(**overrides))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "There is a problem" in html
    assert message in html
    assert not Referral.objects.exists()


def test_hyphenated_nhs_number_is_stored_as_digits(world, login_as):
    login_as(world["referrer"], world["north"]).post(URL, valid_post(nhs_number="943-476-5919"))
    assert Referral.objects.get().nhs_number == "9434765919"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_given": "no"}, "has not given consent"),
        ({"has_capacity": "no", "consent_given": None, "best_interest_decision": "no"}, "no best-interest decision"),
    ],
)
def test_missing_consent_is_refused_when_the_register_says_so(world, login_as, overrides, message):
    client = login_as(world["referrer"], world["north"])
    response = client.post(URL, valid_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Referral.objects.exists()
    Register.objects.filter(pk=world["register"].pk).update(refuse_without_consent=False)
    assert client.post(URL, valid_post(**overrides)).status_code == 302
    assert Referral.objects.count() == 1


def test_best_interest_decision_is_recorded(world, login_as):
    login_as(world["referrer"], world["north"]).post(
        URL,
        valid_post(
            has_capacity="no", consent_given="yes", best_interest_decision="yes", best_interest_detail="Dr A, 1 May"
        ),
    )
    referral = Referral.objects.get()
    assert referral.has_capacity is False
    assert referral.best_interest_decision is True
    assert referral.consent_given is None
    assert referral.best_interest_detail == "Dr A, 1 May"


def test_duplicate_nhs_number_names_the_reference_only_to_someone_who_may_see_it(world, login_as):
    existing = ReferralFactory(centre=world["north"], created_by=world["admin"], nhs_number="9434765919")
    response = login_as(world["referrer"], world["north"]).post(URL, valid_post())
    html = response.content.decode()
    assert response.status_code == 400
    assert "already exists" in html
    assert "contact the DSR team".lower() in html.lower()
    assert existing.reference not in html
    response = login_as(world["admin"], world["north"]).post(
        URL, valid_post(organisation=str(world["north"].public_id))
    )
    assert response.status_code == 400
    assert existing.reference in response.content.decode()
    assert Referral.objects.count() == 1


def test_archived_referral_for_the_same_person_does_not_block(world, login_as):
    from django.utils import timezone

    ReferralFactory(
        centre=world["north"], created_by=world["referrer"], nhs_number="9434765919", archived_at=timezone.now()
    )
    assert login_as(world["referrer"], world["north"]).post(URL, valid_post()).status_code == 302
    assert Referral.objects.count() == 2


@pytest.fixture
def questions(world):
    register = world["register"]
    return {
        "text": ExtraQuestion.objects.create(register=register, position=1, text="Key worker", is_mandatory=True),
        "yes_no": ExtraQuestion.objects.create(
            register=register, position=2, text="Has a care plan?", kind=ExtraQuestion.Kind.YES_NO_DONT_KNOW
        ),
        "choice": ExtraQuestion.objects.create(
            register=register,
            position=3,
            text="Placement",
            kind=ExtraQuestion.Kind.CHOICE,
            options=["Family home", "Supported living"],
            is_mandatory=True,
        ),
        "date": ExtraQuestion.objects.create(
            register=register, position=4, text="Last review", kind=ExtraQuestion.Kind.DATE
        ),
    }


def answers_post(questions, **overrides):
    data = {
        f"extra_{questions['text'].public_id.hex}": "Sam Lee",
        f"extra_{questions['yes_no'].public_id.hex}": "dont_know",
        f"extra_{questions['choice'].public_id.hex}": "Supported living",
        f"extra_{questions['date'].public_id.hex}-day": "2",
        f"extra_{questions['date'].public_id.hex}-month": "9",
        f"extra_{questions['date'].public_id.hex}-year": "2026",
    }
    data.update(overrides)
    return valid_post(**data)


def test_extra_answers_are_stored_by_question_id(world, login_as, questions):
    response = login_as(world["referrer"], world["north"]).post(URL, answers_post(questions))
    assert response.status_code == 302
    assert Referral.objects.get().extra_answers == {
        str(questions["text"].public_id): "Sam Lee",
        str(questions["yes_no"].public_id): "dont_know",
        str(questions["choice"].public_id): "Supported living",
        str(questions["date"].public_id): "2026-09-02",
    }


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("text", "", "Enter an answer for “Key worker”"),
        ("choice", "A castle", "Select one of the answers listed for “Placement”"),
        ("choice", "", "Select one of the answers listed for “Placement”"),
        ("yes_no", "perhaps", "Select an answer for “Has a care plan?”"),
        ("date", "31", "Last review must be a real date"),
    ],
)
def test_tampered_or_missing_extra_answers_are_refused(world, login_as, questions, kind, value, message):
    name = f"extra_{questions[kind].public_id.hex}"
    overrides = {f"{name}-day": value, f"{name}-month": "2"} if kind == "date" else {name: value}
    response = login_as(world["referrer"], world["north"]).post(URL, answers_post(questions, **overrides))
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Referral.objects.exists()


def test_unknown_extra_answer_keys_are_ignored(world, login_as, questions):
    data = answers_post(questions, extra_0000="injected", extra_answers='{"x": 1}')
    assert login_as(world["referrer"], world["north"]).post(URL, data).status_code == 302
    assert set(Referral.objects.get().extra_answers) == {str(question.public_id) for question in questions.values()}


def test_the_same_person_added_twice_at_once_is_refused_by_the_database(world, login_as, monkeypatch):
    """Two people submit the same person at the same moment: both pass the service's check
    (simulated by letting the first check through), the database's partial unique index
    refuses the second, and the person is told as usual; nothing is written, no 500."""
    from referrals.services import referrals as services

    existing = ReferralFactory(centre=world["north"], created_by=world["admin"], nhs_number="9434765919")
    real_check = services._duplicate_check
    calls = []

    def check_passes_once(**kwargs):
        calls.append(kwargs)
        if len(calls) > 1:
            real_check(**kwargs)

    monkeypatch.setattr(services, "_duplicate_check", check_passes_once)
    response = login_as(world["admin"], world["north"]).post(
        URL, valid_post(organisation=str(world["north"].public_id))
    )
    assert response.status_code == 400
    assert existing.reference in response.content.decode()
    assert len(calls) == 2
    assert Referral.objects.count() == 1
    assert not AuditEvent.objects.filter(action="referral.created").exists()
