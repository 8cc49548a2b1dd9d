"""The register's people: adding a user with a role, and changing their role and the
organisations they may see. Each field says what to do when it is wrong; the services repeat
the rules so nothing depends on the form alone."""

from django import forms

from centres.roles import Role
from core.fields import PersonFields, person_owner_set

ROLE_CHOICES = [
    (Role.REFERRER.value, "Referrer: adds referrals and sees and updates the ones they made"),
    (Role.DSR_REPORTING.value, "Reporting user: sees and reports on the referrals of their organisations"),
    (Role.DSR_ADMIN.value, "Administrator: also records outcomes, archives, and runs the register"),
]


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class _OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _OrganisationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _LimitsMixin:
    def _limits_field(self, organisations):
        return _OrganisationsChoice(
            label="Limit to these organisations (optional)",
            help_text="For reporting users and administrators. Leave all unticked to let them see every "
            "organisation you can see. Referrers only ever see the referrals they made.",
            queryset=organisations,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose organisations from the list",
                "invalid_pk_value": "Choose organisations from the list",
            },
        )

    def limited_to(self) -> list:
        if self.cleaned_data["role"] == Role.REFERRER:
            return []
        return list(self.cleaned_data["limited_to"])


class UserAddForm(_LimitsMixin, PersonFields):
    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        person_owner_set(self, "their")
        self.fields["email"].help_text = "New people are emailed a link to set their password."
        self.fields["organisation"] = _OrganisationChoice(
            label="Organisation",
            help_text="The organisation they work for.",
            queryset=organisations,
            empty_label="Choose an organisation",
            error_messages={
                "required": "Choose their organisation",
                "invalid_choice": "Choose an organisation from the list",
            },
        )
        self.fields["role"] = _role_field()
        self.fields["limited_to"] = self._limits_field(organisations)


class UserEditForm(_LimitsMixin, forms.Form):
    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"] = _role_field()
        self.fields["limited_to"] = self._limits_field(organisations)
