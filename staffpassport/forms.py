"""Forms of the staff passport settings pages (S2-S6). The rules live in the services; these
read and check the input, with the NHS fields' plain-English messages."""

from django import forms

from core.fields import CharField, ChoiceField, EmailField, TelephoneField
from staffpassport.models import TemplateEmploymentTypes
from staffpassport.services.errors import StaffPassportServiceError
from staffpassport.services.job_roles import JOB_ROLE_NAME_MAX_LENGTH
from staffpassport.services.templates import TEMPLATE_NAME_MAX_LENGTH, template_name_clean

SEND_CHOICES = [("yes", "Yes, send email notifications"), ("no", "No, do not send email notifications")]


def contact_detail_form(*, contact_label: str, detail: str, data=None, initial=None) -> forms.Form:
    """The one-field page of an organisation contact: its name, email address or telephone."""
    if detail == "name":
        field = CharField(label=f"{contact_label}: name", max_length=200, owner="the", required=False)
    elif detail == "email":
        field = EmailField(label=f"{contact_label}: email address", owner="the", required=False)
    else:
        field = TelephoneField(label=f"{contact_label}: telephone number", owner="the", required=False)
    form = forms.Form(data=data, initial=initial)
    form.fields["value"] = field
    return form


class TeamEmailForm(forms.Form):
    team_email = EmailField(label="Email address", owner="the team's", required=False)

    def __init__(self, *args, team_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_email"].label = f"{team_label} team email address"
        self.fields[
            "team_email"
        ].help_text = "The weekly summary of outstanding actions is sent here. Use a shared inbox."


class TeamSendingForm(forms.Form):
    send_emails = ChoiceField(
        label="Send weekly summary email notifications?",
        choices=SEND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to send email notifications",
            "invalid_choice": "Select whether to send email notifications",
        },
    )


class TemplateGroupForm(forms.Form):
    """Step one of a new template: the staff group (its job roles are offered on the next page)."""

    staff_group = ChoiceField(
        label="Which staff group is the template for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the staff group the template is for",
            "invalid_choice": "Select the staff group the template is for",
        },
    )

    def __init__(self, *args, staff_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_group"].choices = [(group.code, group.name) for group in staff_groups]


class TemplateForm(forms.Form):
    name = CharField(
        label="Template name",
        max_length=TEMPLATE_NAME_MAX_LENGTH,
        owner="the",
        strip=False,  # the service says "cannot be only spaces"
        help_text="Letters, numbers, spaces and hyphens only",
        error_messages={"required": "Enter a template name"},
    )
    employment_types = ChoiceField(
        label="Which employment types does it apply to?",
        choices=TemplateEmploymentTypes.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which employment types the template applies to",
            "invalid_choice": "Select which employment types the template applies to",
        },
    )
    job_role = ChoiceField(
        label="Job role",
        required=False,
        help_text="Choose a job role to apply the template only to people with that role.",
        error_messages={"invalid_choice": "Select a job role from the list"},
    )
    categories = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Select credential categories from the list"}
    )
    credentials = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Select credentials from the list"}
    )

    def __init__(self, *args, job_roles, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_roles = {str(role.public_id): role for role in job_roles}
        self.category_objects = {category.code: category for category in categories}
        self.credential_objects = {
            credential.code: credential for category in categories for credential in category.credentials.all()
        }
        if self.job_roles:
            self.fields["job_role"].choices = [("", "No job role: everyone in the staff group")] + [
                (key, role.name) for key, role in self.job_roles.items()
            ]
        else:
            del self.fields["job_role"]
        self.fields["categories"].choices = [(code, item.name) for code, item in self.category_objects.items()]
        self.fields["credentials"].choices = [(code, item.name) for code, item in self.credential_objects.items()]

    def clean_name(self):
        try:
            return template_name_clean(self.cleaned_data["name"])
        except StaffPassportServiceError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("categories") and not cleaned.get("credentials"):
            self.add_error("credentials", "Select at least one credential or category")
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "employment_types": data["employment_types"],
            "job_role": self.job_roles.get(data.get("job_role") or ""),
            "categories": [self.category_objects[code] for code in data["categories"]],
            "credentials": [self.credential_objects[code] for code in data["credentials"]],
        }


JOB_ROLE_NEXT = [
    ("template", "Create job role and create a credentials required policy"),
    ("list", "Create job role and go back to manage job roles"),
    ("cancel", "Cancel and go back to manage job roles"),
]


class JobRoleForm(forms.Form):
    name = CharField(label="Job role name", max_length=JOB_ROLE_NAME_MAX_LENGTH, owner="the")


class JobRoleCreateForm(JobRoleForm):
    next_step = ChoiceField(
        label="What do you want to do next?",
        choices=JOB_ROLE_NEXT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what you want to do next",
            "invalid_choice": "Select what you want to do next",
        },
    )

    def is_cancel(self) -> bool:
        return self.data.get("next_step") == "cancel"


class StaffMemberSearchForm(forms.Form):
    q = CharField(
        label="Name or ESR assignment number",
        max_length=100,
        owner="the staff member's",
        error_messages={"required": "Enter a name or ESR assignment number"},
    )
