"""E4 forms: a note on a request, and moving it to another status."""

from django import forms

from core.fields.base import CharField, ChoiceField
from elearning.models import AccountRequest
from elearning.services.queue import NOTE_MAX_LENGTH

PUBLIC_NOTE_HINT = (
    "A public note is emailed to the person who asked. Never write a password or any other login secret in a note."
)


class RequestNoteForm(forms.Form):
    body = CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        owner="the",
        error_messages={"required": "Enter the note"},
    )
    visibility = ChoiceField(
        label="Who can read it?",
        choices=[
            ("internal", "Internal: the central team only"),
            ("public", "Public: emailed to the person who asked"),
        ],
        widget=forms.RadioSelect,
        help_text=PUBLIC_NOTE_HINT,
        error_messages={"required": "Select who can read the note", "invalid_choice": "Select who can read the note"},
    )


class RequestStatusForm(forms.Form):
    """The page offers one button per move the request may make; the service refuses any
    other (a tampered or stale form) with a message."""

    status = ChoiceField(
        label="New status",
        choices=AccountRequest.Status.choices,
        widget=forms.HiddenInput,
        error_messages={"required": "Select the new status", "invalid_choice": "Select the new status"},
    )
    rejection_reason = CharField(
        label="Reason for rejecting",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Emailed to the person who asked.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == AccountRequest.Status.REJECTED and not cleaned.get("rejection_reason", "").strip():
            self.add_error("rejection_reason", "Enter why the request is rejected")
        return cleaned
