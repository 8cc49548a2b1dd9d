"""X6: platform staff create registers and add organisations here. Referrals are not
registered: platform staff see no patient data (R2). Nor are the register's new-referral
notification settings: who is emailed about referrals (with the person's name, if the register
opts in) is for the register's administrators only, so staff cannot route them to themselves
(issue 11, finding 4). Every change is audited in the organisations' trails."""

import re

from django import forms
from django.contrib import admin

from accounts.admin_audit import AuditedAdminMixin
from referrals.models import ExtraQuestion, Register, RegisterOrganisation

DOMAIN_PATTERN = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class RegisterOrganisationAdminForm(forms.ModelForm):
    """R1: allow-listed domains give an account at once, so each must be a plain lower-case
    domain and belong to one organisation only (across every register)."""

    class Meta:
        model = RegisterOrganisation
        fields = ["register", "centre", "email_domains"]

    def clean_email_domains(self):
        domains = self.cleaned_data.get("email_domains")
        if domains in (None, ""):
            return []
        if not isinstance(domains, list) or not all(isinstance(domain, str) for domain in domains):
            raise forms.ValidationError('Enter the domains as a list, like ["mpft.nhs.uk", "staffs.nhs.uk"]')
        cleaned = []
        for domain in domains:
            domain = domain.strip().lower()
            if "@" in domain:
                raise forms.ValidationError(f"Enter “{domain}” without the @, like mpft.nhs.uk")
            if not DOMAIN_PATTERN.match(domain):
                raise forms.ValidationError(f"“{domain}” is not a domain. Enter domains like mpft.nhs.uk")
            if domain not in cleaned:
                cleaned.append(domain)
        # Registers have a handful of organisations each: compared here, not with a JSON query
        # (which SQLite cannot do).
        others = RegisterOrganisation.objects.exclude(pk=self.instance.pk).select_related("centre", "register")
        for other in others:
            taken = set(cleaned) & {d.strip().lower() for d in other.email_domains}
            if taken:
                raise forms.ValidationError(
                    f"{', '.join(sorted(taken))} is already used by {other.centre.name} in {other.register.name}. "
                    "A domain can belong to one organisation only."
                )
        return cleaned


class RegisterOrganisationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            for domain in form.cleaned_data.get("email_domains") or []:
                if domain in seen and seen[domain] != index:
                    raise forms.ValidationError(f"{domain} is given to two organisations. A domain can belong to one.")
                seen[domain] = index


class RegisterOrganisationInline(admin.TabularInline):
    model = RegisterOrganisation
    form = RegisterOrganisationAdminForm
    formset = RegisterOrganisationFormSet
    extra = 1
    autocomplete_fields = ["centre"]


class ExtraQuestionInline(admin.TabularInline):
    model = ExtraQuestion
    extra = 0


# Fields that decide where news of a referral goes: administrators set them in the register's
# own pages (audited there), never here.
NOTIFICATION_FIELDS = [
    "team_inbox",
    "notify_team_inbox",
    "notify_submitter",
    "notify_administrators",
    "notify_other_addresses",
    "email_detail",
]


@admin.register(Register)
class RegisterAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = NOTIFICATION_FIELDS
    inlines = [RegisterOrganisationInline, ExtraQuestionInline]

    def audit_centres(self, obj):
        return [organisation.centre for organisation in obj.organisations.select_related("centre")]
