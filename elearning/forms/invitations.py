"""E2 invitation forms: the authoriser's "Create invite", the invitee's details, password and
rejection reason, and the historic list's filters."""

from django import forms

from accounts.models import User
from centres.forms.registration import WelcomePasswordForm
from core.fields import CharField, ChoiceField, TelephoneField, email_field
from elearning.models import Invitation, JobCategory
from elearning.selectors.invitations import HISTORIC_STATUSES
from elearning.services.invitations_response import InvitationDetails

NAME_MAX_LENGTH = 150  # Invitation.first_name / last_name


def _name_field(label: str, owner: str, autocomplete: str) -> CharField:
    return CharField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        owner=owner,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


def _job_category_field(owner: str) -> ChoiceField:
    return ChoiceField(label="Job category", owner=owner, choices=[("", "Select a job category"), *JobCategory.choices])


class DetailsFields(forms.Form):
    """Forename, surname, contact number, job title and job category: what the authoriser
    enters and the invitee confirms. `owner` says whose they are in the messages."""

    owner = "your"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.owner
        self.fields["first_name"] = _name_field("Forename", owner, "given-name")
        self.fields["last_name"] = _name_field("Surname", owner, "family-name")
        self.fields["contact_number"] = TelephoneField(label="Contact number", owner=owner)
        self.fields["job_title"] = CharField(label="Job title", max_length=150, owner=owner)
        self.fields["job_category"] = _job_category_field(owner)

    def details(self) -> InvitationDetails:
        data = self.cleaned_data
        return InvitationDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            contact_number=data["contact_number"],
            job_title=data["job_title"],
            job_category=data["job_category"],
        )


class InvitationCreateForm(DetailsFields):
    owner = "the person's"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"] = email_field(owner="the person's", help_text="The invitation is sent to this address.")
        self.order_fields(["first_name", "last_name", "email", "contact_number", "job_title", "job_category"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ConfirmDetailsForm(DetailsFields):
    """The invitee's details, prefilled from the invitation (or what they confirmed before
    signing in)."""

    @staticmethod
    def initial_from(invitation: Invitation, saved: dict | None = None) -> dict:
        initial = {
            "first_name": invitation.first_name,
            "last_name": invitation.last_name,
            "contact_number": invitation.contact_number,
            "job_title": invitation.job_title,
            "job_category": invitation.job_category,
        }
        initial.update({key: value for key, value in (saved or {}).items() if key in initial})
        return initial


class InvitationPasswordForm(WelcomePasswordForm):
    """The project's password fields and validators, checked against the invitee's details."""

    def __init__(self, *args, invitation: Invitation, first_name: str, last_name: str, **kwargs):
        probe = User(email=invitation.email, first_name=first_name, last_name=last_name)
        super().__init__(*args, user=probe, **kwargs)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why are you rejecting this invitation?",
        help_text="The person who invited you will see this in an email.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are rejecting the invitation",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


class HistoryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *[(status.value, status.label) for status in HISTORIC_STATUSES]],
    )
    q = forms.CharField(label="Name or email address", required=False, max_length=200)

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["status"], self.cleaned_data["q"].strip()
