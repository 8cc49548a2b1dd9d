from django import forms


class ChooseCentreForm(forms.Form):
    centre = forms.ChoiceField(
        label="Which centre do you want to use?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the centre you want to use",
            "invalid_choice": "Select one of the centres listed",
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choosable = {str(choice.centre.public_id): choice for choice in choices if choice.can_choose}
        self.fields["centre"].choices = [
            (public_id, f"{choice.centre.name} ({choice.delegate_number or 'role only'})")
            for public_id, choice in self.choosable.items()
        ]

    def chosen(self):
        return self.choosable[self.cleaned_data["centre"]].centre


class NotificationPreferencesForm(forms.Form):
    """C11: only the kinds the person's roles at the centre allow are offered."""

    kinds = forms.MultipleChoiceField(
        label="Email me when",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only the notifications listed"},
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.value, kind.label) for kind in kinds]


class SupportTicketForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        help_text="A few words, like “Cannot approve a registration”",
        error_messages={
            "required": "Enter a subject",
            "max_length": "Subject must be 200 characters or fewer",
        },
    )
    category = forms.ChoiceField(
        label="What is it about?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what your question is about",
            "invalid_choice": "Select one of the options listed",
        },
    )
    detail = forms.CharField(
        label="Describe the problem",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you were doing, what happened, and any delegate numbers involved. "
        "Do not include patient information.",
        error_messages={
            "required": "Enter a description of the problem",
            "max_length": "The description must be 5000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        from centres.models import SupportTicket

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = SupportTicket.Category.choices


class SupportReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your reply",
            "max_length": "Your reply must be 5000 characters or fewer",
        },
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SystemNoticeForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Title must be 200 characters or fewer"},
    )
    body = forms.CharField(
        label="Notice",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Shown on every dashboard and emailed to everyone subscribed to system notifications.",
        error_messages={
            "required": "Enter the notice",
            "max_length": "The notice must be 5000 characters or fewer",
        },
    )
    show_until = forms.DateField(
        label="Last day to show it (optional)",
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Leave empty to show it until you withdraw it.",
        error_messages={"invalid": "Enter the last day as a real date, like 31/12/2026"},
    )

    def clean_show_until(self):
        from django.utils import timezone

        value = self.cleaned_data["show_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError("The last day to show it must be today or in the future")
        return value

    def expires_at(self):
        """The notice shows to the end of the chosen day (local time)."""
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        show_until = self.cleaned_data.get("show_until")
        if show_until is None:
            return None
        return timezone.make_aware(datetime.combine(show_until + timedelta(days=1), time.min))


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
        from centres.models import JobGroup

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
        from centres.services import prn_problem

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


# -- Delegates (C6, C7) --------------------------------------------------------------------------

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
        from centres.models import RegistrationType

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
        import re

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
