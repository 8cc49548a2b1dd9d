"""Forms for raising and answering support tickets (C13)."""

from django import forms

from support.models import SupportTicket


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
