"""Forms for platform staff's centre pages."""

from django import forms


class CentreManagerForm(forms.Form):
    """Platform staff name a centre manager by the email address of their existing account."""

    email = forms.EmailField(
        label="Email address of their account",
        max_length=254,
        help_text="The person must already have an account. Nothing about their account is changed.",
        error_messages={
            "required": "Enter the email address of the person's account",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
