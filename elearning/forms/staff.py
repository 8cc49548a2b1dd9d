"""E3 forms: an authoriser amends a staff member and asks for deactivation, removal or
reactivation; a person amends their own name and job details."""

from django import forms

from core.fields.base import CharField, ChoiceField, TelephoneField
from core.fields.people import email_field, first_name_field, last_name_field
from elearning.models import JobCategory, SiteStaff


class JobDetailsForm(forms.Form):
    contact_number = TelephoneField(label="Contact number", owner="the")
    job_title = CharField(label="Job title", max_length=150, owner="the")
    job_category = ChoiceField(
        label="Job category", choices=[("", "Select a job category"), *JobCategory.choices], owner="the"
    )

    def __init__(self, *args, owner: str = "the", **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in (("contact_number", "contact number"), ("job_title", "job title")):
            self.fields[name].error_messages["required"] = f"Enter {owner} {words}"
        self.fields["job_category"].error_messages["required"] = f"Select {owner} job category"


class StaffAmendForm(JobDetailsForm):
    """What an authoriser may amend (seed 001): email, contact number, job title, category."""

    email = email_field(owner="their")
    field_order = ["email", "contact_number", "job_title", "job_category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, owner="their", **kwargs)
        self.order_fields(self.field_order)
        self.fields["email"].error_messages["required"] = "Enter their email address"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class DeactivationRequestForm(forms.Form):
    deactivation_reason = ChoiceField(
        label="Why should the account be deactivated?",
        choices=SiteStaff.DeactivationReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why the account should be deactivated",
            "invalid_choice": "Select why the account should be deactivated",
        },
    )
    detail = CharField(
        label="Details (required for Other)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example the expected return date. Do not include medical details.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("deactivation_reason") == SiteStaff.DeactivationReason.OTHER
            and not cleaned.get("detail", "").strip()
        ):
            self.add_error("detail", "Enter the reason for deactivation")
        return cleaned


class ChangeRequestForm(forms.Form):
    """Removal (left the site) and reactivation: an optional note for the central team."""

    detail = CharField(
        label="Anything the central team should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OwnNameForm(forms.Form):
    first_name = first_name_field()
    last_name = last_name_field()
