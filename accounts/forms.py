from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SetPasswordForm as AllauthSetPasswordForm
from django import forms
from django.apps import apps


class LoginForm(AllauthLoginForm):
    """C5: sign in with an email address or a delegate number."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label="Email address or delegate number",
            max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
            error_messages={"required": "Enter your email address or delegate number"},
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].help_text = ""
        self.order_fields(["login", "password"])

    def clean_login(self) -> str:
        login = super().clean_login()
        if "@" in login:
            return login.lower()
        # A delegate number: find its person. Memberships live in `centres`, which depends on
        # us, so look the model up by name.
        membership_model = apps.get_model("centres", "Membership")
        membership = membership_model.objects.filter(delegate_number__iexact=login).select_related("user").first()
        return membership.user.email if membership else login


# Plain-English messages for allauth's password forms (CONVENTIONS: say what to do).
NEW_PASSWORD_MESSAGES = {
    "password1": {"required": "Enter a new password"},
    "password2": {"required": "Enter the new password again to confirm it"},
}


def _set_messages(form, messages: dict[str, dict[str, str]]) -> None:
    for name, field_messages in messages.items():
        if name in form.fields:
            form.fields[name].error_messages.update(field_messages)


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _set_messages(
            self,
            {
                "email": {
                    "required": "Enter the email address you log in with",
                    "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
                }
            },
        )


class NewPasswordMessagesMixin:
    """Required messages, and a plain mismatch message, for forms with password1/password2."""

    extra_messages: dict[str, dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _set_messages(self, {**self.extra_messages, **NEW_PASSWORD_MESSAGES})

    def clean(self):
        cleaned_data = super().clean()
        allauth_message = "You must type the same password each time."
        if allauth_message in self.errors.get("password2", []):
            self.errors["password2"] = self.error_class(
                [
                    "The passwords do not match. Enter the same new password twice."
                    if message == allauth_message
                    else message
                    for message in self.errors["password2"]
                ]
            )
        return cleaned_data


class ResetPasswordKeyForm(NewPasswordMessagesMixin, AllauthResetPasswordKeyForm):
    pass


class SetPasswordForm(NewPasswordMessagesMixin, AllauthSetPasswordForm):
    pass


class ChangePasswordForm(NewPasswordMessagesMixin, AllauthChangePasswordForm):
    extra_messages = {"oldpassword": {"required": "Enter your current password"}}
