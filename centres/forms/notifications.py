"""Forms for notification preferences (C11) and system notices (C14)."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from centres.forms.widgets import DateInput


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

        value = self.cleaned_data["show_until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError("The last day to show it must be today or in the future")
        return value

    def expires_at(self):
        """The notice shows to the end of the chosen day (local time)."""

        show_until = self.cleaned_data.get("show_until")
        if show_until is None:
            return None
        return timezone.make_aware(datetime.combine(show_until + timedelta(days=1), time.min))
