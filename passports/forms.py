"""Passport forms: what each passport page asks, validated server-side with messages for the person."""

from django import forms
from django.utils import timezone

from core.fields import DateField
from passports.models import Result
from passports.selectors.learner import STATUS_FILTERS
from passports.services.assessment import ACTION_PLAN_MAX_LENGTH
from passports.services.framework_import import upload_limits
from passports.services.framework_rows import NAME_MAX_LENGTH
from reporting.uploads import UploadRefused, upload_check


class EnrolForm(forms.Form):
    framework = forms.ChoiceField(
        label="Framework",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a framework",
            "invalid_choice": "Select one of the frameworks listed",
        },
    )
    complete_by = DateField(
        label="Complete by (optional)",
        name="The complete-by date",
        required=False,
        help_text="The date the learner should finish by, for example 31 3 2027. Leave empty for no date.",
        error_messages={"invalid": "Enter the complete-by date as a real date, for example 31 3 2027"},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(framework.public_id): framework for framework in frameworks}
        self.fields["framework"].choices = [(key, framework.name) for key, framework in self.frameworks.items()]

    def clean_complete_by(self):
        value = self.cleaned_data["complete_by"]
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError("The complete-by date must be in the future")
        return value


NEW_FRAMEWORK = ""  # the upload form's choice for "a new framework"


class FrameworkUploadForm(forms.Form):
    framework = forms.ChoiceField(
        label="Which framework is this?",
        required=False,
        help_text="A new version of an existing framework is saved as its draft (replacing any draft it has).",
    )
    name = forms.CharField(
        label="Name of the new framework",
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text="For example, IV Therapy Passport. Leave blank when you chose an existing framework.",
    )
    file = forms.FileField(label="Spreadsheet (.xlsx)", required=False)

    def __init__(self, *args, frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(f.public_id): f for f in frameworks}
        self.fields["framework"].choices = [(NEW_FRAMEWORK, "A new framework")] + [
            (public_id, f.name) for public_id, f in self.frameworks.items()
        ]

    def clean(self):
        data = super().clean()
        chosen = data.get("framework")
        if chosen:
            data["framework_obj"] = self.frameworks.get(chosen)
        elif not (data.get("name") or "").strip():
            self.add_error("name", "Enter the name of the new framework, or choose an existing framework")
        upload = data.get("file")
        if not upload:
            self.add_error("file", "Choose the spreadsheet (.xlsx) to upload")
        else:
            try:
                # Its name and size only: the content is read (with every check) by the import.
                upload_check(upload, limits=upload_limits(), directory=False)
            except UploadRefused as error:
                self.add_error("file", error.message)
        return data


class PassportFilterForm(forms.Form):
    q = forms.CharField(label="Search proficiencies", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *STATUS_FILTERS],
    )
    section = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class AssessForm(forms.Form):
    answer = forms.ChoiceField(
        label="Have you achieved this proficiency?",
        choices=Result.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select Achieved or Ongoing", "invalid_choice": "Select Achieved or Ongoing"},
    )
    action_plan = forms.CharField(
        label="Your note or action plan (optional)",
        help_text="For example, what you still need to do, or where you showed this.",
        required=False,
        max_length=ACTION_PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Your note must be {ACTION_PLAN_MAX_LENGTH} characters or fewer"},
    )


class RequestConfirmationForm(forms.Form):
    supervisor = forms.ChoiceField(
        label="Who should confirm them?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the supervisor who should confirm them",
            "invalid_choice": "Select one of your supervisors",
        },
    )
    results = forms.MultipleChoiceField(
        label="Proficiencies to send",
        help_text="Only proficiencies you have self-assessed as Achieved can be sent.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one proficiency to send for confirmation",
            "invalid_choice": "Select only proficiencies listed here",
        },
    )

    def __init__(self, *args, supervisors, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisors = {str(user.public_id): user for user in supervisors}
        self.results = {str(result.proficiency.position): result for result in results}
        self.fields["supervisor"].choices = [
            (public_id, user.get_full_name() or user.email) for public_id, user in self.supervisors.items()
        ]
        self.fields["results"].choices = [
            (position, f"{position}. {result.proficiency.name}") for position, result in self.results.items()
        ]
        if len(self.supervisors) == 1 and not self.is_bound:
            self.initial["supervisor"] = next(iter(self.supervisors))
        if not self.is_bound:
            # Usually everything ready is sent at once: start with all ticked (untick to hold back).
            self.initial["results"] = list(self.results)

    def chosen_supervisor(self):
        return self.supervisors[self.cleaned_data["supervisor"]]

    def chosen_results(self) -> list[Result]:
        return [self.results[position] for position in self.cleaned_data["results"]]


class ProgressReportForm(forms.Form):
    framework = forms.ChoiceField(
        label="Framework",
        required=False,
        error_messages={"invalid_choice": "Select a framework from the list"},
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(public_id): name for public_id, name in frameworks}
        self.fields["framework"].choices = [("", "All frameworks"), *self.frameworks.items()]


class ReportChartsFilterForm(forms.Form):
    """The passport reports page's pictures, for every learner or one job group (GET)."""

    job_group = forms.TypedChoiceField(
        label="Job group",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select a job group from the list"},
    )

    def __init__(self, *args, job_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_group"].choices = [("", "All job groups"), *((str(pk), name) for pk, name in job_groups)]
        self.job_group_names = dict(job_groups)


class StaffAddForm(forms.Form):
    emails = forms.CharField(
        label="Email addresses",
        help_text="One on each line, or separated by commas. You can paste a list.",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        max_length=20000,
        error_messages={
            "required": "Enter at least one email address",
            "max_length": "That is too much text: add up to 200 email addresses at a time",
        },
    )


class SupervisorAddForm(forms.Form):
    supervisor = forms.ChoiceField(
        label="Add a supervisor",
        help_text="Educators and assessors at this centre.",
        error_messages={"required": "Select a supervisor", "invalid_choice": "Select one of the people listed"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(user.public_id): user for user in candidates}
        self.fields["supervisor"].choices = [("", "Choose a person")] + [
            (key, f"{user.get_full_name()} ({user.email})") for key, user in self.candidates.items()
        ]


TEXT_MAX = 2000


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Enter {TEXT_MAX} characters or fewer"},
    )


class ReviewForm(forms.Form):
    """One submission of the review page. Bulk: tick results, then "Confirm selected" (shared
    optional comment) or "Reject selected" (shared action plan, required); or "Confirm all"
    (`confirm_all`: "all" or a section's position) with no ticking. One result: the buttons
    inside its "Confirm or reject only this result" section, with its own text.

    `decisions()` gives ({item id: comment}, {item id: action plan}) for `results_review`."""

    selected = forms.MultipleChoiceField(
        label="Select results",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Some of the results you ticked are no longer waiting for confirmation. Tick them again."
        },
    )
    comment = _text("Comment for the learner (optional)", help_text="Sent with every result you confirm.")
    action_plan = _text(
        "Action plan (needed to reject)",
        help_text="What the learner needs to do before asking again. Sent with every result you reject.",
    )

    def __init__(self, data=None, *, items=()):
        super().__init__(data)
        self.items = list(items)
        self.fields["selected"].choices = [(str(item.pk), str(item.pk)) for item in self.items]
        for item in self.items:
            self.fields[f"comment_{item.pk}"] = _text("Comment, or action plan if you reject")
        self._confirm: dict[int, str] = {}
        self._reject: dict[int, str] = {}
        self.open_item: int | None = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        one = (self.data.get("one") or "").split(":")
        if len(one) == 2 and one[0] in ("confirm", "reject"):
            choice, raw_id = one
            item = next((item for item in self.items if str(item.pk) == raw_id), None)
            if item is None:
                raise forms.ValidationError("That result is no longer waiting for confirmation")
            text = cleaned.get(f"comment_{item.pk}", "")
            self.open_item = item.pk
            if choice == "confirm":
                self._confirm = {item.pk: text}
            elif not text:
                self.add_error(f"comment_{item.pk}", "Enter an action plan to reject this result")
            else:
                self._reject = {item.pk: text}
            return cleaned
        whole = self.data.get("confirm_all")  # "all", or a section's position: every pending result in it
        if whole:
            chosen = [item for item in self.items if whole in ("all", str(item.result.proficiency.section.position))]
            if not chosen:
                raise forms.ValidationError("Those results are no longer waiting for confirmation")
            shared = cleaned.get("comment", "")
            self._confirm = {item.pk: cleaned.get(f"comment_{item.pk}") or shared for item in chosen}
            return cleaned
        action = self.data.get("action")
        selected = [int(value) for value in cleaned.get("selected", [])]
        if action not in ("confirm", "reject"):
            raise forms.ValidationError("Choose whether to confirm or reject the selected results")
        if not selected:
            self.add_error("selected", f"Select the results you want to {action}")
            return cleaned
        if action == "confirm":
            self._confirm = {pk: cleaned.get(f"comment_{pk}") or cleaned.get("comment", "") for pk in selected}
        else:
            plan = cleaned.get("action_plan", "")
            missing = [pk for pk in selected if not (cleaned.get(f"comment_{pk}") or plan)]
            if missing:
                self.add_error("action_plan", "Enter an action plan to reject the selected results")
                return cleaned
            self._reject = {pk: cleaned.get(f"comment_{pk}") or plan for pk in selected}
        return cleaned

    def decisions(self) -> tuple[dict[int, str], dict[int, str]]:
        return self._confirm, self._reject


class SignOffRequestForm(forms.Form):
    educator = forms.ChoiceField(label="Who do you want to sign off your passport?", widget=forms.RadioSelect)
    comment = _text("Comment for the educator (optional)")

    def __init__(self, data=None, *, educators=()):
        super().__init__(data)
        self.educators = {str(user.public_id): user for user in educators}
        self.fields["educator"].choices = [(key, user.get_full_name()) for key, user in self.educators.items()]
        self.fields["educator"].error_messages["required"] = "Select the educator to ask"
        self.fields["educator"].error_messages["invalid_choice"] = "Select one of the educators listed"

    def chosen(self):
        return self.educators[self.cleaned_data["educator"]]


class SignOffDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[("sign_off", "Sign off this passport"), ("decline", "Decline")],
        error_messages={"required": "Select whether to sign off or decline"},
    )
    comment = _text("Comments for the learner", help_text="Needed if you decline: say what the learner should do.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("comment"):
            self.add_error("comment", "Enter a comment to say why you are declining")
        return cleaned


class ReopenForm(forms.Form):
    reason = _text("Why are you reopening this passport?", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason for reopening this passport"


class EnrolmentFilterForm(forms.Form):
    """Issue 16 item 12: the administrators' enrolment list's filters (a GET form). A value
    that is not allowed is ignored, so a stale link still shows the list."""

    framework = forms.ChoiceField(label="Framework", required=False)
    learner = forms.CharField(
        label="Learner",
        required=False,
        max_length=100,
        help_text="Part of a name, email address or delegate number",
    )

    def __init__(self, data=None, *, frameworks, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["framework"].choices = [
            ("", "All frameworks"),
            *((str(framework.public_id), framework.name) for framework in frameworks),
        ]

    def filters(self) -> dict:
        self.is_valid()
        return {
            "framework_id": self.cleaned_data.get("framework") or "",
            "learner": (self.cleaned_data.get("learner") or "").strip(),
        }
