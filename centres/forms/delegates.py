"""Forms for the delegate list filters and the delegate record (C6, C7)."""

from django import forms

from centres.models import RegistrationType
from core.fields import PersonFields, PrnFields, person_owner_set, prompt_answer_field

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


class DelegateEditForm(PersonFields, PrnFields):
    """C7: an administrator edits a delegate's details. The service checks the same rules."""

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

    def __init__(self, *args, prompts, job_groups, **kwargs):
        super().__init__(*args, **kwargs)
        person_owner_set(self, "the delegate's")
        email_hint = "They log in with this. If you change it they will be asked to confirm the new address."
        self.fields["email"].help_text = email_hint
        self.fields["has_prn"].label = "Does the delegate have a professional registration number?"
        self.fields["has_prn"].required = False  # a record made before the question stays unanswered
        self.fields["prn"].help_text = "Only if they have one: 5 to 20 letters, numbers or hyphens, like NMC-12A3456"
        self.fields["job_group"].choices = [
            ("", "Select a job group"),
            *((group.pk, group.name) for group in job_groups),
        ]
        self.prompts = list(prompts)
        self.prompt_fields = []
        for prompt in self.prompts:
            self.fields[prompt.answer_field] = prompt_answer_field(prompt)
            self.prompt_fields.append(prompt.answer_field)
        # Prompts come after the job group on the page.
        order = ["first_name", "last_name", "email", "centre_email", "job_group", *self.prompt_fields, "has_prn", "prn"]
        self.order_fields(order)

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
