"""Forms for the register's administration. Each field says what to do when it is wrong;
the services repeat the rules so nothing depends on the form alone."""

from django import forms

from centres.forms.configuration import yes_no_field
from centres.roles import Role
from referrals.forms.signup import PersonFields
from referrals.models import ExtraQuestion, Register
from referrals.selectors.administration import AUDIT_ACTIONS
from referrals.services.administration import AdministrationError, email_lines_clean, lines_clean

ROLE_CHOICES = [
    (Role.REFERRER.value, "Referrer: adds referrals and sees and updates the ones they made"),
    (Role.DSR_REPORTING.value, "Reporting user: sees and reports on the referrals of their organisations"),
    (Role.DSR_ADMIN.value, "Administrator: also records outcomes, archives, and runs the register"),
]


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class _OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _OrganisationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _LimitsMixin:
    def _limits_field(self, organisations):
        return _OrganisationsChoice(
            label="Limit to these organisations (optional)",
            help_text="For reporting users and administrators. Leave all unticked to let them see every "
            "organisation you can see. Referrers only ever see the referrals they made.",
            queryset=organisations,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose organisations from the list",
                "invalid_pk_value": "Choose organisations from the list",
            },
        )

    def limited_to(self) -> list:
        if self.cleaned_data["role"] == Role.REFERRER:
            return []
        return list(self.cleaned_data["limited_to"])


class UserAddForm(_LimitsMixin, PersonFields):
    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in (("first_name", "their first name"), ("last_name", "their last name")):
            self.fields[name].error_messages["required"] = f"Enter {words}"
        self.fields["email"].error_messages["required"] = "Enter their email address"
        self.fields["email"].help_text = "New people are emailed a link to set their password."
        self.fields["organisation"] = _OrganisationChoice(
            label="Organisation",
            help_text="The organisation they work for.",
            queryset=organisations,
            empty_label="Choose an organisation",
            error_messages={
                "required": "Choose their organisation",
                "invalid_choice": "Choose an organisation from the list",
            },
        )
        self.fields["role"] = _role_field()
        self.fields["limited_to"] = self._limits_field(organisations)


class UserEditForm(_LimitsMixin, forms.Form):
    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field()
        self.fields["limited_to"] = self._limits_field(organisations)


class _LinesField(forms.CharField):
    """A textarea of one value a line, cleaned to a list."""

    widget = forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})

    def to_python(self, value):
        return lines_clean(super().to_python(value))


class FormSettingsForm(forms.Form):
    form_name = forms.CharField(
        label="Form name",
        help_text="The heading of the referral form and the link to it, like New referral.",
        max_length=120,
        error_messages={
            "required": "Enter the form's name",
            "max_length": "The form name must be 120 characters or fewer",
        },
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        help_text="Shown on the register's home and sign-up pages. Leave a blank line between paragraphs.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The introduction must be 3,000 characters or fewer"},
    )
    form_guidance = forms.CharField(
        label="Guidance (optional)",
        help_text="Shown at the top of the referral form.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The guidance must be 3,000 characters or fewer"},
    )
    consent_link = forms.URLField(
        label="Consent form link (optional)",
        help_text="Where referrers find the consent form, like https://www.trust.nhs.uk/dsr-consent",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the consent form's web address in full, like https://www.trust.nhs.uk/dsr-consent",
            "max_length": "The web address must be 200 characters or fewer",
        },
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    consent_guidance = forms.CharField(
        label="Consent guidance (optional)",
        help_text="Shown next to the consent questions.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The consent guidance must be 3,000 characters or fewer"},
    )
    refuse_without_consent = yes_no_field(
        "Refuse referrals without consent?",
        hint="Yes: a referral is refused when the person has capacity but has not consented, or lacks capacity "
        "and no best-interest decision has been made.",
        required_message="Choose yes if referrals without consent are refused",
    )
    localities = _LinesField(
        label="Localities",
        help_text="The localities a referral can be in, one on each line.",
        max_length=5000,
        error_messages={"required": "Enter at least one locality, one on each line"},
    )

    def clean_localities(self):
        localities = self.cleaned_data["localities"]
        if not localities:
            raise forms.ValidationError("Enter at least one locality, one on each line")
        if any(len(locality) > 100 for locality in localities):
            raise forms.ValidationError("Each locality must be 100 characters or fewer")
        return localities

    @classmethod
    def initial_for(cls, register: Register) -> dict:
        return {
            "form_name": register.form_name,
            "introduction": register.introduction,
            "form_guidance": register.form_guidance,
            "consent_link": register.consent_link,
            "consent_guidance": register.consent_guidance,
            "refuse_without_consent": "yes" if register.refuse_without_consent else "no",
            "localities": "\n".join(register.localities),
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["refuse_without_consent"] = data["refuse_without_consent"] == "yes"
        return data


class NotificationSettingsForm(forms.Form):
    RECIPIENTS = [
        ("team_inbox", "The team inbox"),
        ("submitter", "The person who made the referral"),
        ("administrators", "The register's administrators"),
        ("others", "Other addresses (below)"),
    ]
    team_inbox = forms.EmailField(
        label="Team inbox (optional)",
        help_text="A shared inbox, like dsr.team@trust.nhs.uk",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={"invalid": "Enter the team inbox in the correct format, like dsr.team@trust.nhs.uk"},
    )
    recipients = forms.MultipleChoiceField(
        label="Who is emailed about a new referral?",
        help_text="Select all that apply.",
        choices=RECIPIENTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the list"},
    )
    other_addresses = forms.CharField(
        label="Other addresses (optional)",
        help_text="One email address on each line.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={"max_length": "The list of addresses must be 5,000 characters or fewer"},
    )
    email_detail = forms.ChoiceField(
        label="What do the emails say about the person?",
        choices=[
            (Register.EmailDetail.REFERENCE.value, "A link and the reference only (recommended)"),
            (Register.EmailDetail.NAME.value, "A link, the reference and the person's name"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the emails say", "invalid_choice": "Choose what the emails say"},
    )

    def clean_other_addresses(self) -> list[str]:
        try:
            return email_lines_clean(self.cleaned_data["other_addresses"])
        except AdministrationError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        recipients = set(cleaned.get("recipients") or [])
        if "team_inbox" in recipients and not cleaned.get("team_inbox") and "team_inbox" not in self.errors:
            self.add_error("team_inbox", "Enter the team inbox, or untick “The team inbox”")
        if "others" in recipients and not cleaned.get("other_addresses") and "other_addresses" not in self.errors:
            self.add_error("other_addresses", "Enter at least one other address, or untick “Other addresses”")
        return cleaned

    @classmethod
    def initial_for(cls, register: Register) -> dict:
        recipients = [
            name
            for name, on in (
                ("team_inbox", register.notify_team_inbox),
                ("submitter", register.notify_submitter),
                ("administrators", register.notify_administrators),
                ("others", bool(register.notify_other_addresses)),
            )
            if on
        ]
        return {
            "team_inbox": register.team_inbox,
            "recipients": recipients,
            "other_addresses": "\n".join(register.notify_other_addresses),
            "email_detail": register.email_detail,
        }

    def values(self) -> dict:
        recipients = set(self.cleaned_data["recipients"])
        return {
            "team_inbox": self.cleaned_data["team_inbox"],
            "notify_team_inbox": "team_inbox" in recipients,
            "notify_submitter": "submitter" in recipients,
            "notify_administrators": "administrators" in recipients,
            "other_addresses": self.cleaned_data["other_addresses"] if "others" in recipients else [],
            "email_detail": self.cleaned_data["email_detail"],
        }


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=250,
        error_messages={"required": "Enter the question", "max_length": "The question must be 250 characters or fewer"},
    )
    hint = forms.CharField(
        label="Hint (optional)",
        help_text="Shown under the question, like this.",
        required=False,
        max_length=250,
        error_messages={"max_length": "The hint must be 250 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=ExtraQuestion.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer", "invalid_choice": "Choose the kind of answer"},
    )
    options = _LinesField(
        label="Answers to choose from",
        help_text="For “Choose one from a list” only: one answer on each line.",
        required=False,
        max_length=5000,
    )
    is_mandatory = yes_no_field("Must it be answered?", required_message="Choose yes if the question must be answered")
    position = forms.IntegerField(
        label="Position",
        help_text="Questions are asked in this order, 1 first.",
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the position, like 1",
            "invalid": "Enter the position as a whole number, like 1",
            "min_value": "The position must be 1 or more",
            "max_value": "The position must be 999 or less",
        },
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["is_active"] = yes_no_field(
                "Is it still asked?",
                hint="No retires the question: new referrals do not ask it, and answers already given keep it.",
                required_message="Choose yes if the question is still asked",
            )

    def clean(self):
        cleaned = super().clean()
        too_few = len(cleaned.get("options") or []) < 2
        if cleaned.get("kind") == ExtraQuestion.Kind.CHOICE and too_few and "options" not in self.errors:
            self.add_error("options", "Enter at least two answers to choose from, one on each line")
        return cleaned

    @classmethod
    def initial_for(cls, question: ExtraQuestion) -> dict:
        return {
            "text": question.text,
            "hint": question.hint,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "is_mandatory": "yes" if question.is_mandatory else "no",
            "position": question.position,
            "is_active": "yes" if question.is_active else "no",
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["is_mandatory"] = data["is_mandatory"] == "yes"
        if "is_active" in data:
            data["is_active"] = data["is_active"] == "yes"
        return data


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label="From (optional)",
        help_text="For example, 01/11/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Enter the from date as a real date, like 01/11/2026"},
    )
    date_to = forms.DateField(
        label="To (optional)",
        help_text="For example, 30/11/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": "Enter the to date as a real date, like 30/11/2026"},
    )
    action = forms.ChoiceField(
        label="What happened",
        choices=[("", "Anything"), *AUDIT_ACTIONS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose what happened from the list"},
    )
    person = forms.CharField(
        label="Person's email contains (optional)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "Enter 254 characters or fewer"},
    )
    reference = forms.CharField(
        label="Referral reference (optional)",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "A referral reference is 12 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned

    def summary(self) -> list[str]:
        """The filters in words, for the export's audit event."""
        words = []
        for name in ("date_from", "date_to", "action", "person", "reference"):
            value = self.cleaned_data.get(name)
            if value:
                words.append(f"{self.fields[name].label.replace(' (optional)', '')}: {value}")
        return words

    def raw(self) -> dict:
        """The filters as typed, to rebuild the form in the export worker."""
        return {name: self.data.get(name, "") for name in self.fields}
