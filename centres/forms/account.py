"""The person's own details form (C7 "My account")."""

from django import forms

from centres.models import JobGroup
from centres.services.details import prn_problem


class AccountDetailsForm(forms.Form):
    """C7: the person's own details. The delegate-record fields appear only when they have a
    delegate record at the current centre; one field per registration prompt."""

    first_name = forms.CharField(
        label="First name",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your first name",
            "max_length": "First name must be 250 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        error_messages={"required": "Enter your last name", "max_length": "Last name must be 250 characters or fewer"},
    )

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
            name = f"answer{prompt.position}"
            messages = {
                "required": f"Answer “{prompt.text}”",
                "invalid_choice": f"Select one of the answers listed for “{prompt.text}”",
                "max_length": f"Answer to “{prompt.text}” must be 100 characters or fewer",
            }
            if prompt.options:
                self.fields[name] = forms.ChoiceField(
                    label=prompt.text,
                    required=prompt.is_mandatory,
                    choices=[("", "Select an answer"), *((option, option) for option in prompt.options)],
                    error_messages=messages,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=prompt.text, required=prompt.is_mandatory, max_length=100, error_messages=messages
                )
            if not prompt.is_mandatory:
                self.fields[name].label = f"{prompt.text} (optional)"
        self.fields["has_prn"] = forms.ChoiceField(
            label="Do you have a professional registration number (PRN)?",
            choices=[("yes", "Yes"), ("no", "No")],
            widget=forms.RadioSelect,
            help_text="For example your NMC PIN or HCPC registration number.",
            error_messages={
                "required": "Select whether you have a professional registration number",
                "invalid_choice": "Select Yes or No",
            },
        )
        self.fields["prn"] = forms.CharField(
            label="Professional registration number",
            required=False,
            max_length=20,
            help_text="5 to 20 letters, numbers or hyphens. Leave it empty if you answered No.",
            widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
            error_messages={
                "max_length": "Professional registration number must be 5 to 20 letters, numbers or hyphens"
            },
        )

    @property
    def prompt_fields(self):
        return [self[f"answer{prompt.position}"] for prompt in self.prompts]

    def clean(self):

        cleaned = super().clean()
        if self.membership is None or "has_prn" not in cleaned or "prn" not in cleaned:
            return cleaned
        has_prn = cleaned["has_prn"] == "yes"
        prn = cleaned["prn"].strip()
        problem = prn_problem(has_prn=has_prn, prn=prn)
        if problem:
            self.add_error("prn", problem)
        return cleaned

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
