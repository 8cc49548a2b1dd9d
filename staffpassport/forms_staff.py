"""S7 forms: the ESR upload, the manual queue and the bypass confirmation."""

from django import forms

from core.fields.base import CharField
from staffpassport.esr.reading import MAX_ROWS
from staffpassport.services.credential_queue import REASON_MAX_LENGTH
from staffpassport.services.staff_review import NOTE_MAX_LENGTH


class EsrUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the ESR feed",
        widget=forms.FileInput(attrs={"accept": ".csv"}),
        help_text=f"A CSV file (.csv) up to 60 MB and {MAX_ROWS:,} rows, one credential per row",
        error_messages={
            "required": "Select the ESR feed (.csv) to upload",
            "empty": "The selected file is empty",
            "invalid": "Select the ESR feed (.csv) to upload",
        },
    )


class CredentialQueueForm(forms.Form):
    """The chosen credentials (`credentials`, public ids, read by the view from the POST) and,
    to reject them, a reason."""

    ISSUE, REJECT = "issue", "reject"

    action = forms.ChoiceField(choices=[(ISSUE, "Issue"), (REJECT, "Reject")], required=False)
    reason = CharField(
        label="Reason for rejecting",
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to reject. The staff member's record keeps it with the credential.",
    )


class BypassForm(forms.Form):
    reason = CharField(
        label="Why are you bypassing credentials required?",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: credentials checked on paper by the recruitment team. This is kept in the audit trail.",
        error_messages={"required": "Enter why you are bypassing credentials required"},
    )
