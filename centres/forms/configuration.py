"""Forms for centre configuration (C10) and the "Find your centre" search (C1).

Each field says in plain English what went wrong; the services repeat the business rules so
nothing depends on the form alone."""

from django import forms

from centres.configuration import (
    MAX_PROMPT_TEXT_LENGTH,
    MAX_PUBLIC_TEXT_LENGTH,
    MAX_SUPPORT_DETAILS_LENGTH,
    POSTCODE_PATTERN,
    TELEPHONE_PATTERN,
    postcode_normalise,
    prompt_options_clean,
)
from centres.services.errors import CentreServiceError

YES_NO = [("yes", "Yes"), ("no", "No")]


class TelInput(forms.TextInput):
    input_type = "tel"


def yes_no_field(label: str, *, hint: str = "", required_message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class NotifyEmailForm(forms.Form):
    notify_email = forms.EmailField(
        label="Notify email address",
        help_text=(
            "A shared inbox we email when a delegate's registration needs approval. "
            "Leave it empty to stop these emails."
        ),
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like learning@trust.nhs.uk",
            "max_length": "The email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SupportDetailsForm(forms.Form):
    support_details = forms.CharField(
        label="Centre support details",
        help_text=(
            "Learners see this on their home page. Say who to contact for help with their "
            "learning or account, for example a team name, email address, telephone number and hours."
        ),
        required=False,
        max_length=MAX_SUPPORT_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": f"Support details must be {MAX_SUPPORT_DETAILS_LENGTH} characters or fewer"},
    )


class PublicDetailsForm(forms.Form):
    show_in_directory = yes_no_field(
        "Show your centre in Find your centre?",
        hint="Find your centre is a public page that helps people find who to contact to register.",
        required_message="Select yes if your centre should appear in Find your centre",
    )
    public_telephone = forms.CharField(
        label="Telephone",
        required=False,
        max_length=40,
        error_messages={"max_length": "The telephone number must be 40 characters or fewer"},
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    public_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like learning@trust.nhs.uk",
            "max_length": "The email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a full UK postcode, like LS9 7TF"},
    )
    opening_hours = forms.CharField(
        label="Opening hours",
        help_text="For example, Monday to Friday, 9am to 5pm",
        required=False,
        max_length=250,
        error_messages={"max_length": "Opening hours must be 250 characters or fewer"},
    )
    web_address = forms.CharField(
        label="Web address",
        help_text="For example, https://www.leedsth.nhs.uk/education",
        required=False,
        max_length=200,
        error_messages={"max_length": "The web address must be 200 characters or fewer"},
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    areas_covered = forms.CharField(
        label="Areas covered",
        help_text="The towns, districts or services your centre covers",
        required=False,
        max_length=MAX_PUBLIC_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Areas covered must be {MAX_PUBLIC_TEXT_LENGTH} characters or fewer"},
    )
    training_venues = forms.CharField(
        label="Training venues",
        help_text="Where face-to-face training happens",
        required=False,
        max_length=MAX_PUBLIC_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Training venues must be {MAX_PUBLIC_TEXT_LENGTH} characters or fewer"},
    )

    def clean_public_telephone(self) -> str:
        value = self.cleaned_data["public_telephone"].strip()
        if value and not TELEPHONE_PATTERN.match(value):
            raise forms.ValidationError("Enter a telephone number, like 0113 243 3144 or +44 113 243 3144")
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        value = postcode_normalise(value)
        if not POSTCODE_PATTERN.match(value):
            raise forms.ValidationError("Enter a full UK postcode, like LS9 7TF")
        return value

    def clean_web_address(self) -> str:
        value = self.cleaned_data["web_address"].strip()
        if not value:
            return ""
        if "://" not in value:
            value = f"https://{value}"
        try:
            forms.URLField(assume_scheme="https").clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Enter a web address in the correct format, like https://www.leedsth.nhs.uk"
            ) from None
        if not value.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address that starts with https://")
        return value

    def details(self) -> dict:
        data = dict(self.cleaned_data)
        data["show_in_directory"] = data["show_in_directory"] == "yes"
        return data


class PromptForm(forms.Form):
    text = forms.CharField(
        label="Prompt text",
        help_text="The question delegates answer when they register, for example “Which ward do you work on?”",
        max_length=MAX_PROMPT_TEXT_LENGTH,
        error_messages={
            "required": "Enter the prompt text",
            "max_length": f"Prompt text must be {MAX_PROMPT_TEXT_LENGTH} characters or fewer",
        },
    )
    is_mandatory = yes_no_field(
        "Must delegates answer this prompt?",
        required_message="Select yes if delegates must answer this prompt",
    )
    options = forms.CharField(
        label="Answers to choose from (optional)",
        help_text=(
            "Enter one answer per line, up to 50, each 100 characters or fewer. "
            "Leave this empty to let delegates type their own answer."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_options(self) -> list[str]:
        try:
            return prompt_options_clean(self.cleaned_data["options"])
        except CentreServiceError as error:
            raise forms.ValidationError(str(error)) from None

    def prompt_values(self) -> dict:
        return {
            "text": self.cleaned_data["text"],
            "is_mandatory": self.cleaned_data["is_mandatory"] == "yes",
            "options": self.cleaned_data["options"],
        }

    @classmethod
    def initial_for(cls, prompt) -> dict:
        return {
            "text": prompt.text,
            "is_mandatory": "yes" if prompt.is_mandatory else "no",
            "options": "\n".join(prompt.options),
        }


class RemovePromptForm(forms.Form):
    """The confirmation step: carries the number of answers the person was shown."""

    answers_confirmed = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label="Centre name or postcode",
        help_text="For example, Leeds or LS9",
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
