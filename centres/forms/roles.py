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


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Which role do you want to give them?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select one of the roles listed"},
    )

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
