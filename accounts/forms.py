from allauth.account.forms import LoginForm as AllauthLoginForm
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
