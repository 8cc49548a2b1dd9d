"""Forms for registering at a centre (C2, C4), approvals (C3) and the welcome link."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from centres.models import JobGroup
from centres.services.registration import DelegateDetails
from core.fields import (
    DateField,
    PersonFields,
    has_prn_field,
    person_owner_set,
    prn_clean,
    prn_field,
    prompt_answer_field,
)


class DelegateDetailsForm(forms.Form):
    """Job group, the centre's registration prompts and professional registration (PRN)."""

    job_group = forms.ModelChoiceField(
        queryset=JobGroup.objects.order_by("name"),
        empty_label="Select your job group",
        error_messages={"required": "Select a job group", "invalid_choice": "Select a job group from the list"},
    )
    has_prn = has_prn_field()
    prn = prn_field()

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.prompts = list(centre.prompts.order_by("position"))
        for prompt in self.prompts:
            self.fields[prompt.answer_field] = prompt_answer_field(prompt)
        # Prompts come after the job group, PRN questions last.
        self.order_fields(["job_group", *[prompt.answer_field for prompt in self.prompts], "has_prn", "prn"])

    def clean(self):
        return prn_clean(self, super().clean())

    def details(self, centre_email: str = "") -> DelegateDetails:
        data = self.cleaned_data
        return DelegateDetails(
            job_group=data["job_group"],
            answers={prompt.answer_field: (data.get(prompt.answer_field) or "").strip() for prompt in self.prompts},
            has_prn=data["has_prn"] == "yes",
            prn=data["prn"],
            centre_email=centre_email,
        )


class SelfRegistrationForm(PersonFields, DelegateDetailsForm):
    """C2 for a visitor without an account."""

    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Use at least 10 characters. A few unrelated words make a strong password.",
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again to confirm it"},
    )
    terms = forms.BooleanField(
        label="I agree to the terms of use and understand how my information is used",
        error_messages={"required": "Agree to the terms of use to register"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["first_name", "last_name", "email", *self.fields])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match. Enter the same password twice.")
        elif password1:
            probe = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class WelcomeScheduleFields(forms.Form):
    """C4/U4: send the welcome email now, on a date (at 8am), or not yet."""

    welcome = forms.ChoiceField(
        label="Send the welcome email",
        choices=[("now", "Now"), ("later", "On a date"), ("none", "Not yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select when to send the welcome email"},  # no silent default
    )
    welcome_date = DateField(
        label="Date to send the welcome email",
        name="The date",
        required=False,
        help_text="For example, 27 3 2027",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("welcome") == "later":
            date = cleaned.get("welcome_date")
            if date is None and "welcome_date" not in self.errors:
                self.add_error("welcome_date", "Enter the date to send the welcome email")
            elif date is not None and date <= timezone.localdate():
                self.add_error("welcome_date", "The date must be in the future")
        return cleaned

    def welcome_datetime(self):
        date = self.cleaned_data.get("welcome_date")
        if self.cleaned_data.get("welcome") != "later" or date is None:
            return None
        return timezone.make_aware(timezone.datetime(date.year, date.month, date.day, 8, 0))


class RegisterByCentreForm(WelcomeScheduleFields, PersonFields, DelegateDetailsForm):
    """C4: an administrator registers one delegate (no password)."""

    centre_email = forms.EmailField(
        label="Centre email address (optional)",
        required=False,
        error_messages={"invalid": "Enter the centre email address in the correct format, like name@example.nhs.uk"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person_owner_set(self, "the delegate's")
        self.fields["has_prn"].label = "Does the delegate have a professional registration number (PRN)?"
        self.order_fields(["first_name", "last_name", "email", "centre_email", *self.fields])


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why are you rejecting this registration?",
        help_text="The person will see this in their email.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reason for rejecting this registration",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


class WelcomePasswordForm(forms.Form):
    password1 = SelfRegistrationForm.base_fields["password1"]
    password2 = SelfRegistrationForm.base_fields["password2"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match. Enter the same password twice.")
        elif password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ChooseRegistrationCentreForm(forms.Form):
    centre = forms.ChoiceField(
        label="Which centre are you registering with?",
        error_messages={
            "required": "Select the centre you are registering with",
            "invalid_choice": "Select a centre from the list",
        },
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("", "Select a centre"), *[(centre.code, centre.name) for centre in centres]]
