"""Forms for the delegate list filters and the delegate record (C6, C7)."""

import re

from django import forms

from centres.models import RegistrationType

ANY = ("", "Any")


class DelegateFilterForm(forms.Form):
    """The delegate list's search, sort and filters (a GET form; also drives the export).

    Invalid values are ignored rather than shown as errors: a stale bookmark still lists."""

    SORT_CHOICES = [("name", "Name (A to Z)"), ("registered", "Registration date (newest first)")]

    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Name, email or delegate number")
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    active = forms.ChoiceField(
        label="Status", required=False, choices=[ANY, ("active", "Active"), ("inactive", "Inactive")]
    )
    approved = forms.ChoiceField(
        label="Approval", required=False, choices=[ANY, ("yes", "Approved"), ("no", "Awaiting approval")]
    )
    password = forms.ChoiceField(
        label="Password", required=False, choices=[ANY, ("set", "Password set"), ("not_set", "No password yet")]
    )
    admin = forms.ChoiceField(
        label="Administrator", required=False, choices=[ANY, ("yes", "Administrators"), ("no", "Not administrators")]
    )
    job_group = forms.ChoiceField(label="Job group", required=False)
    registration_type = forms.ChoiceField(label="How registered", required=False)

    def __init__(self, *args, prompts, job_groups, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["job_group"].choices = [ANY, *((str(group.pk), group.name) for group in job_groups)]
        self.fields["registration_type"].choices = [ANY, *RegistrationType.choices]
        self.prompt_fields = []
        for prompt in prompts:
            if not prompt.options:
                continue
            name = f"answer{prompt.position}"
            self.fields[name] = forms.ChoiceField(
                label=prompt.text, required=False, choices=[ANY, *((option, option) for option in prompt.options)]
            )
            self.prompt_fields.append(name)
        self.filter_fields = [name for name in self.fields if name not in {"q", "sort"}]

    def filters(self) -> dict:
        """The valid, non-empty values; anything invalid is dropped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value and name not in self.errors}

    @property
    def active_filter_count(self) -> int:
        return len([name for name in self.filters() if name not in {"q", "sort"}])


PRN_PATTERN = r"^[A-Za-z0-9-]{5,20}$"


YES_NO = [("yes", "Yes"), ("no", "No")]


class DelegateEditForm(forms.Form):
    """C7: an administrator edits a delegate's details. The service checks the same rules."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the delegate's first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter the delegate's last name"}
    )
    email = forms.EmailField(
        label="Email address",
        help_text="They log in with this. If you change it they will be asked to confirm the new address.",
        error_messages={
            "required": "Enter the delegate's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    centre_email = forms.EmailField(
        label="Centre email address (optional)",
        required=False,
        help_text="A work address used by this centre only",
        error_messages={"invalid": "Enter the centre email address in the correct format, like name@example.com"},
    )
    job_group = forms.TypedChoiceField(
        label="Job group",
        coerce=int,
        error_messages={"required": "Select a job group", "invalid_choice": "Select a job group from the list"},
    )
    has_prn = forms.ChoiceField(
        label="Does the delegate have a professional registration number?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select yes or no"},
    )
    prn = forms.CharField(
        label="Professional registration number",
        required=False,
        max_length=20,
        help_text="Only if they have one: 5 to 20 letters, numbers or hyphens, like NMC-12A3456",
        error_messages={"max_length": "Professional registration number must be 20 characters or fewer"},
    )

    def __init__(self, *args, prompts, job_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_group"].choices = [
            ("", "Select a job group"),
            *((group.pk, group.name) for group in job_groups),
        ]
        self.prompts = list(prompts)
        self.prompt_fields = []
        for prompt in self.prompts:
            name = prompt.answer_field
            label = prompt.text if prompt.is_mandatory else f"{prompt.text} (optional)"
            messages = {"required": f"Answer “{prompt.text}”", "invalid_choice": f"Select an answer to “{prompt.text}”"}
            if prompt.options:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=prompt.is_mandatory,
                    choices=[("", "Select an answer"), *((option, option) for option in prompt.options)],
                    error_messages=messages,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=prompt.is_mandatory,
                    max_length=100,
                    error_messages={
                        **messages,
                        "max_length": f"Your answer to “{prompt.text}” must be 100 characters or fewer",
                    },
                )
            self.prompt_fields.append(name)
        # Prompts come after the job group on the page.
        order = ["first_name", "last_name", "email", "centre_email", "job_group", *self.prompt_fields, "has_prn", "prn"]
        self.order_fields(order)

    def clean_prn(self):

        prn = self.cleaned_data["prn"].strip()
        if prn and not re.match(PRN_PATTERN, prn):
            raise forms.ValidationError("Professional registration number must be 5 to 20 letters, numbers or hyphens")
        return prn

    def clean(self):
        cleaned = super().clean()
        has_prn = cleaned.get("has_prn")
        prn = cleaned.get("prn")
        if "prn" in self.errors:
            return cleaned
        if has_prn == "yes" and not prn:
            self.add_error("prn", "Enter the professional registration number, or select no")
        elif has_prn != "yes" and prn:
            self.add_error("prn", "Remove the professional registration number, or select yes")
        return cleaned

    def answers(self) -> dict[int, str]:
        return {prompt.position: self.cleaned_data.get(prompt.answer_field, "") for prompt in self.prompts}

    @staticmethod
    def initial_for(membership) -> dict:
        initial = {
            "first_name": membership.user.first_name,
            "last_name": membership.user.last_name,
            "email": membership.user.email,
            "centre_email": membership.centre_email,
            "job_group": membership.job_group_id,
            "has_prn": {True: "yes", False: "no"}.get(membership.has_prn, ""),
            "prn": membership.prn,
        }
        for position in range(1, 7):
            initial[f"answer{position}"] = getattr(membership, f"answer{position}")
        return initial
