"""Forms for the supervisor (P7) and sign-off (P8) pages."""

from django import forms

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
    optional comment) or "Reject selected" (shared action plan, required). One result: the
    buttons inside its "Confirm or reject only this result" section, with its own text.

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
