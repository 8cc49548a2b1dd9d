"""core.fields: messages from the label and max_length, the date pattern, PRN, yes/no."""

import datetime

import pytest
from django import forms
from django.template import engines
from django.utils import timezone

from accounts.models import User
from centres.models import Membership
from core.fields import (
    PERSON_NAME_MAX_LENGTH,
    CharField,
    ChoiceField,
    DateField,
    EmailField,
    PersonFields,
    PrnFields,
    TelephoneField,
    person_owner_set,
    prn_problem,
    prompt_answer_field,
    prompt_answer_problem,
    yes_no_field,
    yes_no_initial,
    yes_no_value,
)
from core.fields.people import EMAIL_MAX_LENGTH, PRN_MAX_LENGTH


def errors(form_class, data, **kwargs) -> dict[str, list[str]]:
    form = form_class(data, **kwargs)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


class Named(forms.Form):
    first_name = CharField(label="First name", max_length=50)
    nickname = CharField(label="Nickname (optional)", required=False, max_length=1500)
    their_name = CharField(label="Last name", max_length=10, owner="the person's")
    NHS_number = CharField(label="NHS number", max_length=12)
    email = EmailField(label="Email address")
    colour = ChoiceField(label="Favourite colour", choices=[("red", "Red")])
    job = CharField(label="Job", max_length=5, error_messages={"required": "Tell us your job"})


def test_messages_come_from_the_label_and_max_length():
    assert errors(Named, {}) == {
        "first_name": ["Enter your first name"],
        "their_name": ["Enter the person's last name"],
        "NHS_number": ["Enter your NHS number"],
        "email": ["Enter your email address"],
        "colour": ["Select your favourite colour"],
        "job": ["Tell us your job"],
    }
    too_long = {
        "first_name": "x" * 51,
        "nickname": "x" * 1501,
        "their_name": "x" * 11,
        "NHS_number": "x" * 13,
        "email": "not-an-email",
        "colour": "blue",
        "job": "x" * 6,
    }
    assert errors(Named, too_long) == {
        "first_name": ["First name must be 50 characters or fewer"],
        "nickname": ["Nickname must be 1,500 characters or fewer"],
        "their_name": ["Last name must be 10 characters or fewer"],
        "NHS_number": ["NHS number must be 12 characters or fewer"],
        "email": ["Enter an email address in the correct format, like name@example.nhs.uk"],
        "colour": ["Select favourite colour from the list"],
        "job": ["Job must be 5 characters or fewer"],
    }


def test_given_messages_win_over_derived_ones():
    field = CharField(label="Reason", max_length=3, error_messages={"max_length": "Keep it short"})
    with pytest.raises(forms.ValidationError, match="Keep it short"):
        field.clean("abcd")
    with pytest.raises(forms.ValidationError, match="Enter your reason"):
        field.clean("")


class Dated(forms.Form):
    when = DateField(label="Date of the meeting (optional)", required=False)
    born = DateField(label="Date of birth", past_only=True, oldest_age=120)
    due = DateField(label="Due", name="The due date", future_only=True, error_messages={"invalid": "Not a date"})


def _parts(name: str, day, month, year) -> dict:
    return {f"{name}-day": str(day), f"{name}-month": str(month), f"{name}-year": str(year)}


def test_the_date_pattern_reads_day_month_and_year():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = Dated({**_parts("when", 3, 12, 2026), **_parts("born", 15, 3, 1998), **_parts("due", *_dmy(tomorrow))})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "when": datetime.date(2026, 12, 3),
        "born": datetime.date(1998, 3, 15),
        "due": tomorrow,
    }


def _dmy(day: datetime.date) -> tuple[int, int, int]:
    return day.day, day.month, day.year


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "born", "Enter date of birth"),
        ({"born-day": "15", "born-year": "1998"}, "born", "Date of birth must include a month"),
        ({"born-day": "15"}, "born", "Date of birth must include a month and a year"),
        (_parts("born", 31, 2, 1998), "born", "Date of birth must be a real date"),
        (_parts("born", 1, 2, 98), "born", "Date of birth must be a real date, with a 4-digit year, like 15 3 1998"),
        (_parts("born", "x", 2, 1998), "born", "Date of birth must be a real date"),
        (_parts("born", 1, 1, 1890), "born", "Date of birth must be within the last 120 years: check the year"),
        (_parts("born", 1, 1, timezone.localdate().year + 1), "born", "Date of birth must be today or in the past"),
        (_parts("when", 1, 13, 2026), "when", "Date of the meeting must be a real date"),
        (_parts("due", 1, 1, 2020), "due", "The due date must be in the future"),
        (_parts("due", 1, 13, 2030), "due", "Not a date"),
    ],
)
def test_the_date_pattern_says_what_is_wrong(data, field, message):
    assert message in errors(Dated, data).get(field, [])


@pytest.mark.parametrize("single", ["2027-03-31", "31/3/2027", "31/03/2027"])
def test_a_single_date_value_is_read_as_its_parts(single):
    form = Dated({"when": single})
    form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2027, 3, 31)


@pytest.mark.parametrize("single", ["yesterday", "2026-02-31"])
def test_a_single_value_that_is_no_date_is_refused_as_not_real(single):
    assert errors(Dated, {"due": single})["due"] == ["Not a date"]


def test_an_optional_date_left_empty_is_none():
    form = Dated({**_parts("when", "", "", ""), **_parts("born", 1, 1, 2000)})
    form.is_valid()
    assert form.cleaned_data["when"] is None


def test_the_date_input_is_drawn_with_its_parts():
    html = Dated(initial={"when": datetime.date(2026, 12, 3)})["when"].as_widget()
    assert 'name="when-day"' in html
    assert 'value="3"' in html
    assert 'name="when-year"' in html


class PersonPrn(PersonFields, PrnFields):
    pass


PERSON = {"first_name": "Ada", "last_name": "Lovelace", "email": " Ada@Example.NHS.uk ", "has_prn": "no"}


def test_the_person_fields_clean_the_email_and_use_the_model_limits():
    form = PersonPrn(PERSON)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "ada@example.nhs.uk"
    assert User._meta.get_field("first_name").max_length == PERSON_NAME_MAX_LENGTH
    assert User._meta.get_field("last_name").max_length == PERSON_NAME_MAX_LENGTH
    assert User._meta.get_field("email").max_length == EMAIL_MAX_LENGTH
    assert Membership._meta.get_field("prn").max_length == PRN_MAX_LENGTH
    too_long = errors(PersonPrn, {**PERSON, "last_name": "x" * (PERSON_NAME_MAX_LENGTH + 1)})
    assert too_long == {"last_name": [f"Last name must be {PERSON_NAME_MAX_LENGTH} characters or fewer"]}


def test_whose_details_the_messages_name():
    form = PersonPrn({})
    person_owner_set(form, "the delegate's")
    form.is_valid()
    assert form.errors["first_name"] == ["Enter the delegate's first name"]
    assert form.errors["email"] == ["Enter the delegate's email address"]


@pytest.mark.parametrize(
    ("has_prn", "prn", "message"),
    [
        (None, "", "Select whether you have a professional registration number"),
        (True, "", "Enter your professional registration number"),
        (False, "NMC-12345", "Remove the professional registration number, or select Yes"),
        (True, "12 34", "Professional registration number must be 5 to 20 letters, numbers or hyphens"),
        (True, "NMC-12A3456", None),
        (False, "", None),
    ],
)
def test_one_prn_rule(has_prn, prn, message):
    assert prn_problem(has_prn=has_prn, prn=prn) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"has_prn": ""}, "Select whether you have a professional registration number"),
        ({"has_prn": "maybe"}, "Select Yes or No"),
        ({"has_prn": "yes", "prn": ""}, "Enter your professional registration number"),
        (
            {"has_prn": "yes", "prn": "A" * 21},
            "Professional registration number must be 5 to 20 letters, numbers or hyphens",
        ),
        ({"has_prn": "no", "prn": "NMC-12345"}, "Remove the professional registration number, or select Yes"),
    ],
)
def test_the_prn_fields_apply_the_rule(data, message):
    found = errors(PrnFields, data)
    assert message in found.get("prn", []) + found.get("has_prn", [])


def test_the_prn_fields_give_the_service_its_values():
    form = PrnFields({"has_prn": "yes", "prn": " NMC-12345 "})
    assert form.is_valid()
    assert form.prn_values() == {"has_prn": True, "prn": "NMC-12345"}


class YesNo(forms.Form):
    agree = yes_no_field("Do you agree?", required_message="Select yes if you agree")


@pytest.mark.parametrize("answer", ["", "maybe"])
def test_yes_no_says_what_to_select(answer):
    assert errors(YesNo, {"agree": answer}) == {"agree": ["Select yes if you agree"]}


def test_yes_no_values_both_ways():
    assert [yes_no_value(answer) for answer in ("yes", "no", "", None)] == [True, False, None, None]
    assert [yes_no_initial(value) for value in (True, False, None)] == ["yes", "no", None]


class Prompt:
    def __init__(self, text, *, is_mandatory=True, options=()):
        self.text, self.is_mandatory, self.options = text, is_mandatory, list(options)


def test_a_prompt_answer_field_and_rule_say_the_same():
    typed = prompt_answer_field(Prompt("Line manager"))
    with pytest.raises(forms.ValidationError, match="Answer “Line manager”"):
        typed.clean("")
    with pytest.raises(forms.ValidationError) as too_long:
        typed.clean("x" * 101)
    assert too_long.value.messages == [prompt_answer_problem(prompt=Prompt("Line manager"), answer="x" * 101)]
    chosen = prompt_answer_field(Prompt("Ward", is_mandatory=False, options=["A", "B"]))
    assert chosen.label == "Ward (optional)"
    assert chosen.clean("") == ""
    with pytest.raises(forms.ValidationError, match="Select one of the answers listed for “Ward”"):
        chosen.clean("C")
    assert prompt_answer_problem(prompt=Prompt("Ward", options=["A"]), answer="C") == (
        "Select one of the answers listed for “Ward”"
    )
    assert prompt_answer_problem(prompt=Prompt("Ward", is_mandatory=False), answer="") is None


def test_telephone():
    field = TelephoneField(label="Telephone", required=False)
    assert field.clean(" 0113 243 3144 ") == "0113 243 3144"
    with pytest.raises(forms.ValidationError, match="Enter a telephone number, like 0113 243 3144"):
        field.clean("call me")
    with pytest.raises(forms.ValidationError, match="Telephone must be 40 characters or fewer"):
        field.clean("1" * 41)
    assert field.widget.input_type == "tel"


def test_the_shared_field_macro_draws_the_nhs_date_input():
    template = engines["jinja2"].from_string('{% from "_forms.jinja" import field %}{{ field(form["when"]) }}')
    html = template.render({"form": Dated({"when-day": "3", "when-month": "", "when-year": "2026"})})
    assert "nhsuk-date-input" in html
    assert 'name="when-day"' in html
    assert 'value="3"' in html
    assert 'name="when-month"' in html
    assert 'id="id_when"' in html  # the error summary links to the day box
    assert "<legend" in html


class OptionalPrn(PrnFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_prn"].required = False


def test_an_optional_prn_question_left_unanswered_reads_as_no():
    assert OptionalPrn({"has_prn": "", "prn": ""}).is_valid()
    assert errors(OptionalPrn, {"has_prn": "", "prn": "NMC-12345"}) == {
        "prn": ["Remove the professional registration number, or select Yes"]
    }
