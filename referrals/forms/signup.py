"""R1: the register's public sign-up form."""

from core.fields import PersonFields


class SignupForm(PersonFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Your work email address. We will email you a link to set your password."
