"""U2/U4 forms: choose the workbook; confirm with the welcome email choice."""

from django import forms

from centres.bulk.reading import MAX_DATA_ROWS, MAX_FILE_BYTES
from centres.forms.registration import WelcomeScheduleFields


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload your spreadsheet",
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        help_text=(
            f"An Excel workbook (.xlsx) up to {MAX_FILE_BYTES // (1024 * 1024)} MB and {MAX_DATA_ROWS:,} delegates"
        ),
        error_messages={
            "required": "Select the Excel workbook (.xlsx) to upload",
            "empty": "The selected file is empty",
            "invalid": "Select the Excel workbook (.xlsx) to upload",
        },
    )


class BulkConfirmForm(WelcomeScheduleFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["welcome"].label = "Send welcome emails to the new delegates"
        self.fields["welcome"].error_messages["required"] = "Select when to send the welcome emails"
        self.fields["welcome_date"].label = "Date to send the welcome emails"
