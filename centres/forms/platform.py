"""Forms for platform staff's centre pages."""

from django import forms

from core.fields.base import CharField, EmailField, yes_no_field, yes_no_initial, yes_no_value


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


class CentreForm(forms.Form):
    """Issue 16 item 9: a centre's details for platform staff. `code` only when creating."""

    code = CharField(
        label="Centre code",
        max_length=20,
        help_text="2 to 20 letters, numbers or hyphens, like LTHT. It is in registration links, so it cannot change.",
    )
    name = CharField(label="Centre name", max_length=250, owner="the")
    ip_prefixes = CharField(
        label="IP prefixes (optional)",
        required=False,
        max_length=2000,
        help_text=(
            "Registrations from an address that starts with one of these are approved at once. "
            "Separate them with commas, like 10.12., 192.168.1."
        ),
    )
    notify_email = EmailField(
        label="Email for registrations that need approval (optional)", required=False, max_length=254
    )
    is_active = yes_no_field(
        "Is the centre active?",
        hint="People cannot choose or register at an inactive centre.",
        required_message="Select yes if the centre is active",
    )
    show_in_directory = yes_no_field(
        "Show the centre in Find your centre?",
        required_message="Select yes to show the centre in Find your centre",
    )

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]

    def ip_prefix_list(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["ip_prefixes"].split(",") if part.strip()]

    def values(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "ip_prefixes": self.ip_prefix_list(),
            "notify_email": self.cleaned_data["notify_email"],
            "is_active": yes_no_value(self.cleaned_data["is_active"]),
            "show_in_directory": yes_no_value(self.cleaned_data["show_in_directory"]),
        }

    @classmethod
    def initial_for(cls, centre) -> dict:
        return {
            "name": centre.name,
            "ip_prefixes": ", ".join(centre.ip_prefixes or []),
            "notify_email": centre.notify_email,
            "is_active": yes_no_initial(centre.is_active),
            "show_in_directory": yes_no_initial(centre.show_in_directory),
        }
