"""The person's own details form (C7 "My account")."""

from django import forms

from centres.models import JobGroup
from core.fields import first_name_field, has_prn_field, last_name_field, prn_clean, prn_field, prompt_answer_field


class AccountDetailsForm(forms.Form):
    """C7: the person's own details. The delegate-record fields appear only when they have a
    delegate record at the current centre; one field per registration prompt."""

    first_name = first_name_field()
    last_name = last_name_field()

    def __init__(self, *args, membership=None, prompts=(), **kwargs):

        super().__init__(*args, **kwargs)
        self.membership = membership
        self.prompts = list(prompts)
        if membership is None:
            return
        self.fields["job_group"] = forms.ModelChoiceField(
            label="Job group",
            queryset=JobGroup.objects.order_by("name"),
            empty_label="Select your job group",
            error_messages={"required": "Select your job group", "invalid_choice": "Select a job group from the list"},
        )
        self.fields["centre_email"] = forms.EmailField(
            label="Centre email address (optional)",
            required=False,
            max_length=254,
            help_text="Your work email at this centre, if it is not the one you log in with. "
            "Emails about this centre go here.",
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            error_messages={
                "invalid": "Enter your centre email address in the right format, like name@nhs.net",
                "max_length": "Centre email address must be 254 characters or fewer",
            },
        )
        for prompt in self.prompts:
            self.fields[f"answer{prompt.position}"] = prompt_answer_field(prompt)
        self.fields["has_prn"] = has_prn_field()
        self.fields["prn"] = prn_field()

    @property
    def prompt_fields(self):
        return [self[f"answer{prompt.position}"] for prompt in self.prompts]

    def clean(self):
        cleaned = super().clean()
        if self.membership is None:
            return cleaned
        return prn_clean(self, cleaned)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"first_name": data["first_name"], "last_name": data["last_name"]}
        if self.membership is not None:
            arguments.update(
                job_group=data["job_group"],
                centre_email=data["centre_email"],
                has_prn=data["has_prn"] == "yes",
                prn=data["prn"].strip(),
                answers={prompt.position: data.get(f"answer{prompt.position}", "") for prompt in self.prompts},
            )
        return arguments

    @classmethod
    def initial_for(cls, *, user, membership) -> dict:
        initial = {"first_name": user.first_name, "last_name": user.last_name}
        if membership is not None:
            initial.update(
                job_group=membership.job_group_id,
                centre_email=membership.centre_email,
                has_prn={True: "yes", False: "no"}.get(membership.has_prn),
                prn=membership.prn,
            )
            for position in range(1, 7):
                initial[f"answer{position}"] = getattr(membership, f"answer{position}")
        return initial
