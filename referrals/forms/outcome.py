"""R7/R8: the outcome form. The questions branch (a meeting is asked about only when a C(E)TR or
LAEP was requested; then either why it did not happen or what the outcome was); the branching is
checked here, and answers to questions that do not apply are dropped, never stored."""

from django import forms

from core.fields import YES_NO
from referrals.models import Outcome

TEXT_LIMIT = 5000


def _yes_no(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        required=False,  # required or not depends on other answers: see clean()
        error_messages={"invalid_choice": required_message},
    )


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class OutcomeForm(forms.Form):
    """`archiving=True` for Save and archive: the summary and plan are then required."""

    # The abbreviations are spelled out where people answer (issue 16 item 8); the error messages
    # come after the question and keep the short forms.
    cetr_requested = _yes_no(
        "Has a Care (Education) and Treatment Review (C(E)TR) been requested?",
        "Select yes if a C(E)TR has been requested",
    )
    laep_requested = _yes_no(
        "Has a Local Area Emergency Protocol (LAEP) been requested?", "Select yes if a LAEP has been requested"
    )
    meeting_happened = _yes_no("Did either meeting happen?", "Select yes if the C(E)TR or LAEP meeting happened")
    why_not_happened = _text("Why did this not happen?")
    result = forms.ChoiceField(
        label="What was the outcome?",
        choices=Outcome.Result.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the outcome of the meeting"},
    )
    notes = _text("Notes")
    summary_for_next_meeting = _text("Summary for next meeting")
    plan_from_meeting = _text("Plan from meeting")

    ANSWER_FIELDS = (
        "cetr_requested",
        "laep_requested",
        "meeting_happened",
        "why_not_happened",
        "result",
        "notes",
        "summary_for_next_meeting",
        "plan_from_meeting",
    )

    def __init__(self, *args, archiving: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.archiving = archiving

    def _require(self, data: dict, name: str, message: str) -> None:
        value = data.get(name)
        if value is None or value == "":
            self.add_error(name, message)

    def clean(self):
        data = super().clean()
        if "cetr_requested" not in self.errors:
            self._require(data, "cetr_requested", "Select yes if a C(E)TR has been requested")
        if "laep_requested" not in self.errors:
            self._require(data, "laep_requested", "Select yes if a LAEP has been requested")
        requested = bool(data.get("cetr_requested")) or bool(data.get("laep_requested"))
        if requested:
            if "meeting_happened" not in self.errors:
                self._require(data, "meeting_happened", "Select yes if the C(E)TR or LAEP meeting happened")
        else:
            data["meeting_happened"] = None
            self.errors.pop("meeting_happened", None)
        happened = data.get("meeting_happened")
        if happened is True:
            if "result" not in self.errors:
                self._require(data, "result", "Select the outcome of the meeting")
            data["why_not_happened"] = ""
            self.errors.pop("why_not_happened", None)
        elif happened is False:
            self._require(data, "why_not_happened", "Enter why the meeting did not happen")
            data["result"] = ""
            self.errors.pop("result", None)
        else:
            data["why_not_happened"] = ""
            data["result"] = ""
            self.errors.pop("why_not_happened", None)
            self.errors.pop("result", None)
        if self.archiving:
            if "summary_for_next_meeting" not in self.errors:
                self._require(
                    data, "summary_for_next_meeting", "Enter a summary for the next meeting to archive the record"
                )
            if "plan_from_meeting" not in self.errors:
                self._require(data, "plan_from_meeting", "Enter the plan from the meeting to archive the record")
        return data

    def answers(self) -> dict:
        """The cleaned answers, ready for `Outcome(**answers)`."""
        return {name: self.cleaned_data.get(name) for name in self.ANSWER_FIELDS}

    # What the next outcome starts from: the last one's answers, not its notes (notes are about
    # that meeting).
    STARTS_FROM_LAST = tuple(name for name in ANSWER_FIELDS if name != "notes")

    @classmethod
    def initial_from(cls, outcome) -> dict:
        """Initial values from the last recorded outcome (issue 16 item 8): "Save and update" and
        "Save and archive" start from what was last recorded, so an archive does not contradict
        it by accident."""
        if outcome is None:
            return {}
        initial = {}
        for name in cls.STARTS_FROM_LAST:
            value = getattr(outcome, name)
            if isinstance(value, bool):
                initial[name] = "yes" if value else "no"
            elif value:
                initial[name] = value
        return initial

    def carried_answers(self) -> dict:
        """The cleaned answers as form values, for the hidden fields of the confirmation page
        (and the form again after "No, go back"). Re-validated when they come back."""
        carried = {}
        for name, value in self.answers().items():
            if isinstance(value, bool):
                carried[name] = "yes" if value else "no"
            elif value:
                carried[name] = value
        return carried
