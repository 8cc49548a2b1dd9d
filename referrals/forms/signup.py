"""R1: the register's public sign-up form."""

from django import forms


class PersonFields(forms.Form):
    """First name, last name and email, as the other registration forms ask for them."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={
            "required": "Enter your first name",
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": "Enter your last name", "max_length": "Last name must be 150 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=250,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@trust.nhs.uk",
            "max_length": "Email address must be 250 characters or fewer",
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class SignupForm(PersonFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Your work email address. We will email you a link to set your password."
