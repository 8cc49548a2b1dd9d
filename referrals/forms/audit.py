"""R11: the audit trail's filters (a GET form: bookmarkable, also drives the export)."""

from django import forms

from core.fields import DateField
from referrals.selectors.administration import AUDIT_ACTIONS


class AuditFilterForm(forms.Form):
    date_from = DateField(
        label="From (optional)",
        name="The from date",
        help_text="For example, 1 11 2026",
        required=False,
        error_messages={"invalid": "Enter the from date as a real date, like 1 11 2026"},
    )
    date_to = DateField(
        label="To (optional)",
        name="The to date",
        help_text="For example, 30 11 2026",
        required=False,
        error_messages={"invalid": "Enter the to date as a real date, like 30 11 2026"},
    )
    action = forms.ChoiceField(
        label="What happened",
        choices=[("", "Anything"), *AUDIT_ACTIONS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose what happened from the list"},
    )
    person = forms.CharField(
        label="Person's email contains (optional)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "Enter 254 characters or fewer"},
    )
    reference = forms.CharField(
        label="Referral reference (optional)",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "A referral reference is 12 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned

    def summary(self) -> list[str]:
        """The filters in words, for the export's audit event."""
        words = []
        for name in ("date_from", "date_to", "action", "person", "reference"):
            value = self.cleaned_data.get(name)
            if value:
                words.append(f"{self.fields[name].label.replace(' (optional)', '')}: {value}")
        return words

    def raw(self) -> dict:
        """The filters as typed, to rebuild the form in the export worker."""
        return {name: self.data.get(name, "") for name in self.fields}
