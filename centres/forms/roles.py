"""Forms for promoting people to roles and revoking them (C8)."""

from django import forms

from centres.roles import Role


class FindPersonForm(forms.Form):
    person = forms.CharField(
        label="Name, email address or delegate number",
        max_length=254,
        help_text="Part of a name or email address is enough. The person must be registered at this centre.",
        error_messages={"required": "Enter the person's name, email address or delegate number"},
    )


class _RoleField(forms.ChoiceField):
    """Offers the roles given; accepts any role name so that the form can say why one that was
    not offered (a tampered or stale post) cannot be given, rather than "select one"."""

    def valid_value(self, value) -> bool:
        return value in Role.__members__.values() or super().valid_value(value)


class GrantRoleForm(forms.Form):
    role = _RoleField(
        label="Which role do you want to give them?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select one of the roles listed"},
    )

    def __init__(self, *args, roles: list[Role], why_not=None, **kwargs):
        """`why_not(role)` says why a role that is not offered cannot be given (issue 16 item 9)."""
        super().__init__(*args, **kwargs)
        self.offered = list(roles)
        self.why_not = why_not
        self.fields["role"].choices = [(role.value, role.label) for role in roles]

    def clean_role(self) -> str:
        value = self.cleaned_data["role"]
        if Role(value) not in self.offered:
            reason = self.why_not(Role(value)) if self.why_not else ""
            fallback = f"You cannot give this person the {Role(value).label} role. Select one of the roles listed"
            raise forms.ValidationError(reason or fallback)
        return value
