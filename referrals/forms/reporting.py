"""R9/R10: the dashboard's organisation filter and the report form. Choices come from the
person's access, so a value that is not offered (tampered, or another register's
organisation) is an error, never a query."""

from django import forms

from referrals.access import RegisterAccess
from referrals.models import Risk
from referrals.reports import AGE_RANGE_BY_KEY, AGE_RANGES, REPORT_TYPE_BY_KIND, REPORT_TYPES, ReportType

ALL_ORGANISATIONS = "All organisations"
ORGANISATION_REFUSED = "You cannot report on that organisation. Choose one from the list."


def _organisation_choices(access: RegisterAccess) -> list[tuple[str, str]]:
    return [("", ALL_ORGANISATIONS)] + [(str(centre.public_id), centre.name) for centre in access.organisations]


class _OrganisationMixin:
    """`organisation_refused`: a value was sent that is not one of the person's organisations."""

    def _organisation_field(self) -> forms.ChoiceField:
        return forms.ChoiceField(
            label="Referring organisation",
            required=False,
            choices=_organisation_choices(self.access),
            error_messages={"invalid_choice": ORGANISATION_REFUSED},
        )

    @property
    def organisation_refused(self) -> bool:
        return "organisation" in self.errors

    def chosen_organisation(self):
        """The chosen permitted organisation, or None for all of them."""
        value = self.cleaned_data.get("organisation") or ""
        return next((centre for centre in self.access.organisations if str(centre.public_id) == value), None)


class DashboardFilterForm(_OrganisationMixin, forms.Form):
    def __init__(self, *args, access: RegisterAccess, **kwargs):
        self.access = access
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = self._organisation_field()


class ReportForm(_OrganisationMixin, forms.Form):
    report_type = forms.ChoiceField(
        label="Report",
        choices=[(report.kind, report.label) for report in REPORT_TYPES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a report", "invalid_choice": "Choose a report from the list"},
    )
    age = forms.ChoiceField(
        label="Age range",
        required=False,
        choices=[(age.key, age.label) for age in AGE_RANGES],
        help_text="Age today, from the date of birth.",
        error_messages={"invalid_choice": "Choose an age range from the list"},
    )
    risk = forms.ChoiceField(
        label="Risk level",
        required=False,
        choices=[("", "All risk levels"), *Risk.choices],
        error_messages={"invalid_choice": "Choose a risk level from the list"},
    )

    def __init__(self, *args, access: RegisterAccess, **kwargs):
        self.access = access
        kwargs.setdefault("auto_id", "report_%s")  # the dashboard's filter on the same page has id_organisation
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = self._organisation_field()
        self.fields["locality"] = forms.ChoiceField(
            label="Locality",
            required=False,
            choices=[("", "All localities")] + [(locality, locality) for locality in access.register.localities],
            error_messages={"invalid_choice": "Choose a locality from the list"},
        )
        self.order_fields(["report_type", "organisation", "age", "risk", "locality"])

    def report(self) -> ReportType:
        return REPORT_TYPE_BY_KIND[self.cleaned_data["report_type"]]

    def params(self) -> dict:
        """The filters saved on the job (the builder works out whose referrals go in again)."""
        data = self.cleaned_data
        return {
            "organisation": data.get("organisation") or "",
            "age": "" if self.report().key_working else data.get("age") or "",
            "risk": data.get("risk") or "",
            "locality": data.get("locality") or "",
        }

    def filter_summary(self) -> list[str]:
        """The filters in words, for the audit trail and the job's title."""
        data = self.cleaned_data
        summary = []
        organisation = self.chosen_organisation()
        if organisation is not None:
            summary.append(organisation.name)
        if data.get("age") and not self.report().key_working:
            summary.append(AGE_RANGE_BY_KEY[data["age"]].label)
        if data.get("risk"):
            summary.append(f"{Risk(data['risk']).label} risk")
        if data.get("locality"):
            summary.append(data["locality"])
        return summary
