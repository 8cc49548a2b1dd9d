"""R3/R6: the referral form (create and update), built from the register's configuration, and
the note form."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from centres.forms.configuration import YES_NO
from referrals.ages import age_on
from referrals.models import RISK_HELP, Condition, Ethnicity, ExtraQuestion, Referral, Risk, YesNoDontKnow
from referrals.validators import nhs_number_normalise, nhs_number_problem

OLDEST_AGE = 120


class DateWidget(forms.MultiWidget):
    """Day, month and year boxes (the NHS.UK date input); the template renders them."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)
        # Posted as <name>-day, <name>-month, <name>-year (the NHS.UK date input's naming).
        self.widgets_names = ["-day", "-month", "-year"]

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [str(parsed.day), str(parsed.month), str(parsed.year)]
        return [None, None, None]


class NhsDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the NHS.UK error messages ("Date of birth must
    include a month", "must be a real date")."""

    widget = DateWidget

    def __init__(self, *, name: str, past_only: bool = False, oldest_age: int | None = None, **kwargs):
        self.name = name
        self.past_only = past_only
        self.oldest_age = oldest_age
        parts = [forms.CharField(required=False) for _ in range(3)]
        kwargs.setdefault("error_messages", {"required": f"Enter {name.lower()}"})
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [label for label, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise ValidationError(f"{self.name} must include a {' and a '.join(missing)}", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(
                f"{self.name} must be a real date, with a 4-digit year, like 15 3 1998", code="invalid"
            )
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.name} must be a real date", code="invalid") from None
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{self.name} must be today or in the past", code="future")
        if self.oldest_age is not None and age_on(value, today) > self.oldest_age:
            raise ValidationError(
                f"{self.name} must be within the last {self.oldest_age} years: check the year", code="too_old"
            )
        return value


def _required(message: str) -> dict:
    return {"required": message, "invalid_choice": message}


class ReferralForm(forms.Form):
    """The minimum data set, the consent questions and the register's active extra questions.
    `organisations` is who this person may refer for (a select when there is more than one);
    pass `for_update=True` to leave the referring organisation out (it does not change)."""

    has_capacity = forms.ChoiceField(
        label="Does the person have capacity to consent to be added to the register?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required("Select yes if the person has capacity to consent"),
    )
    consent_given = forms.ChoiceField(
        label="Has the person given consent?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages=_required("Select yes if the person has given consent"),
    )
    best_interest_decision = forms.ChoiceField(
        label="Has a best-interest decision been made?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages=_required("Select yes if a best-interest decision has been made"),
    )
    best_interest_detail = forms.CharField(
        label="Who made the best-interest decision, and when? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"max_length": "The best-interest decision detail must be 2,000 characters or fewer"},
    )
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's first name",
            "max_length": "First name must be 100 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's last name",
            "max_length": "Last name must be 100 characters or fewer",
        },
    )
    date_of_birth = NhsDateField(
        name="Date of birth",
        past_only=True,
        oldest_age=OLDEST_AGE,
        help_text="For example, 15 3 1998",
        error_messages={"required": "Enter the person's date of birth"},
    )
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=20,
        help_text="10 digits, like 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's NHS number",
            "max_length": "Enter the NHS number as 10 digits, like 943 476 5919",
        },
    )
    condition = forms.ChoiceField(
        label="Learning disability and/or autism",
        choices=Condition.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select learning disability, autism, or both"),
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=[("", "Select ethnicity"), *Ethnicity.choices],
        error_messages=_required("Select the person's ethnicity"),
    )
    locality = forms.ChoiceField(label="Locality", error_messages=_required("Select the locality"))
    organisation = forms.ChoiceField(
        label="Referring organisation", error_messages=_required("Select the referring organisation")
    )
    criminal_justice = forms.ChoiceField(
        label="Does the person have a history with criminal justice?",
        choices=YesNoDontKnow.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select yes, no or don't know for history with criminal justice"),
    )
    risk = forms.ChoiceField(
        label="Risk level",
        choices=Risk.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the risk level"),
    )
    latest_update = forms.CharField(
        label="Latest update for the DSR meeting",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={
            "required": "Enter the latest update for the DSR meeting",
            "max_length": "The latest update must be 10,000 characters or fewer",
        },
    )

    def __init__(self, *args, register, questions: list[ExtraQuestion], organisations=(), for_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = register
        self.questions = questions
        localities = list(register.localities or [])
        current_locality = self.initial.get("locality")
        if current_locality and current_locality not in localities:  # a locality since removed stays valid
            localities.append(current_locality)
        self.fields["locality"].choices = [("", "Select the locality"), *((name, name) for name in localities)]
        self.organisations = list(organisations)
        if for_update:
            del self.fields["organisation"]
        elif len(self.organisations) > 1:
            self.fields["organisation"].choices = [
                ("", "Select the organisation"),
                *((str(organisation.public_id), organisation.name) for organisation in self.organisations),
            ]
        else:
            # One organisation: shown as fixed text. The service still refuses any other posted id.
            self.fields["organisation"] = forms.CharField(required=False, widget=forms.HiddenInput)
        for question in questions:
            self.fields[self.question_field_name(question)] = self._question_field(question)

    @staticmethod
    def question_field_name(question: ExtraQuestion) -> str:
        return f"extra_{question.public_id.hex}"

    def _question_field(self, question: ExtraQuestion) -> forms.Field:
        required = question.is_mandatory
        text = question.text
        label = text if required else f"{text} (optional)"
        common = {"label": label, "required": required, "help_text": question.hint}
        if question.kind == ExtraQuestion.Kind.YES_NO_DONT_KNOW:
            return forms.ChoiceField(
                choices=YesNoDontKnow.choices,
                widget=forms.RadioSelect,
                error_messages=_required(f"Select an answer for “{text}”"),
                **common,
            )
        if question.kind == ExtraQuestion.Kind.CHOICE:
            return forms.ChoiceField(
                choices=[(option, option) for option in question.options],
                widget=forms.RadioSelect,
                error_messages=_required(f"Select one of the answers listed for “{text}”"),
                **common,
            )
        if question.kind == ExtraQuestion.Kind.DATE:
            return NhsDateField(name=text, error_messages={"required": f"Enter a date for “{text}”"}, **common)
        return forms.CharField(
            max_length=2000,
            error_messages={
                "required": f"Enter an answer for “{text}”",
                "max_length": f"The answer to “{text}” must be 2,000 characters or fewer",
            },
            **common,
        )

    @property
    def date_fields(self) -> set[str]:
        """Names of fields rendered as NHS.UK date inputs."""
        return {name for name, field in self.fields.items() if isinstance(field, NhsDateField)}

    risk_choices = [(risk.value, risk.label, RISK_HELP[risk]) for risk in Risk]

    def date_parts(self, name: str) -> list[str]:
        """The day, month and year to show in a date input: as typed, or from the initial value."""
        field = self.fields[name]
        if self.is_bound:
            parts = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            parts = field.widget.decompress(self.get_initial_for_field(field, name))
        return [part or "" for part in parts]

    @property
    def question_fields(self):
        return [self[self.question_field_name(question)] for question in self.questions]

    def clean_nhs_number(self):
        value = nhs_number_normalise(self.cleaned_data["nhs_number"])
        problem = nhs_number_problem(value)
        if problem:
            raise ValidationError(problem)
        return value

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("has_capacity")
        if capacity == "yes" and not cleaned.get("consent_given"):
            self.add_error("consent_given", self.fields["consent_given"].error_messages["required"])
        if capacity == "no" and not cleaned.get("best_interest_decision"):
            self.add_error("best_interest_decision", self.fields["best_interest_decision"].error_messages["required"])
        return cleaned

    def referral_data(self) -> dict:
        """The cleaned answers as the service takes them."""
        cleaned = self.cleaned_data
        has_capacity = cleaned["has_capacity"] == "yes"
        return {
            "has_capacity": has_capacity,
            "consent_given": (cleaned.get("consent_given") == "yes") if has_capacity else None,
            "best_interest_decision": None if has_capacity else cleaned.get("best_interest_decision") == "yes",
            "best_interest_detail": "" if has_capacity else cleaned.get("best_interest_detail", "").strip(),
            "first_name": cleaned["first_name"].strip(),
            "last_name": cleaned["last_name"].strip(),
            "date_of_birth": cleaned["date_of_birth"],
            "nhs_number": cleaned["nhs_number"],
            "condition": cleaned["condition"],
            "ethnicity": cleaned["ethnicity"],
            "locality": cleaned["locality"],
            "criminal_justice": cleaned["criminal_justice"],
            "risk": cleaned["risk"],
            "latest_update": cleaned["latest_update"].strip(),
        }

    def extra_answers(self) -> dict:
        """{question public id: answer}; dates as ISO strings; unanswered questions left out."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(self.question_field_name(question))
            if value in (None, ""):
                continue
            answers[str(question.public_id)] = value.isoformat() if isinstance(value, date) else value.strip()
        return answers

    @staticmethod
    def initial_for(referral: Referral) -> dict:
        def yes_no(value):
            return {True: "yes", False: "no"}.get(value)

        initial = {
            "has_capacity": yes_no(referral.has_capacity),
            "consent_given": yes_no(referral.consent_given),
            "best_interest_decision": yes_no(referral.best_interest_decision),
            "best_interest_detail": referral.best_interest_detail,
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "date_of_birth": referral.date_of_birth,
            "nhs_number": referral.nhs_number,
            "condition": referral.condition,
            "ethnicity": referral.ethnicity,
            "locality": referral.locality,
            "criminal_justice": referral.criminal_justice,
            "risk": referral.risk,
            "latest_update": referral.latest_update,
        }
        for key, answer in (referral.extra_answers or {}).items():
            initial[f"extra_{key.replace('-', '')}"] = answer
        return initial


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Add a note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Enter the note", "max_length": "The note must be 10,000 characters or fewer"},
    )
