"""Django admin for platform staff: centres (C1), job groups, roles and the audit trail. Every
change to centres, people and roles is audited (`AuditedAdminMixin`); roles change only
through the pages and services (the one grant rule), never as raw rows here. Centres and job
groups are reference data: they import and export as CSV or xlsx (centres/resources.py,
ADR 0031), audited the same way."""

import re

from django import forms
from django.contrib import admin, messages

from accounts.admin_audit import AuditedAdminMixin, ReadOnlyAdminMixin
from centres.models import AuditEvent, Centre, JobGroup, Membership, RoleAssignment
from centres.resources import CentreResource, JobGroupResource, ReferenceAdminMixin
from centres.services.centres import (
    CENTRE_CODE_PATTERN,
    centre_create_from,
    ip_prefixes_clean,
)
from centres.services.errors import CentreServiceError

CENTRE_FIELDSETS = [
    (None, {"fields": ["code", "name", "manager_name", "email", "telephone", "postcode", "is_active"]}),
    ("Registration", {"fields": ["ip_prefixes", "notify_email"]}),
    ("Help and support (shown to learners)", {"fields": ["support_details"]}),
    (
        "Find your centre (public)",
        {
            "fields": [
                "show_in_directory",
                "public_telephone",
                "public_email",
                "opening_hours",
                "web_address",
                "areas_covered",
                "training_venues",
            ]
        },
    ),
]


class CentreAdminForm(forms.ModelForm):
    """IP prefixes typed as SCOPE says, comma-separated (not JSON)."""

    ip_prefixes = forms.CharField(
        label="IP prefixes",
        required=False,
        help_text="Comma-separated starts of addresses, like 10.9., 127.0.0. "
        "Registrations from an address starting with one of these are approved at once.",
    )

    class Meta:
        model = Centre
        fields = [name for _title, options in CENTRE_FIELDSETS for name in options["fields"]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["ip_prefixes"] = ", ".join(self.instance.ip_prefixes or [])

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not CENTRE_CODE_PATTERN.match(code):
            raise forms.ValidationError("Enter a centre code of 2 to 20 letters, numbers or hyphens, like LTHT")
        return code

    def clean_ip_prefixes(self) -> list[str]:
        typed = [part for part in re.split(r"[,\s]+", self.cleaned_data["ip_prefixes"]) if part]
        try:
            return ip_prefixes_clean(typed)
        except CentreServiceError as error:
            raise forms.ValidationError(str(error)) from error


@admin.register(Centre)
class CentreAdmin(ReferenceAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    resource_classes = [CentreResource]
    form = CentreAdminForm
    list_display = ["code", "name", "manager_name", "email", "is_active", "show_in_directory"]
    list_filter = ["is_active", "show_in_directory"]
    search_fields = ["code", "name", "postcode"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    fieldsets = [*CENTRE_FIELDSETS, ("Record", {"fields": ["public_id", "created_at", "updated_at"]})]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = centre_create_from(obj, actor=request.user)
        except CentreServiceError as error:
            messages.error(request, str(error))
            raise
        obj.pk = created.pk


@admin.register(JobGroup)
class JobGroupAdmin(ReferenceAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    resource_classes = [JobGroupResource]
    list_display = ["id", "name"]
    ordering = ["id"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["delegate_number", "user", "centre", "is_approved", "is_active", "registration_type"]
    list_filter = ["centre", "is_approved", "is_active", "registration_type"]
    search_fields = ["delegate_number", "user__email", "user__last_name"]
    list_select_related = ["user", "centre"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["public_id", "delegate_number", "created_at", "updated_at"]
        if obj is not None:
            # A record never moves to another person or centre.
            readonly += ["user", "centre"]
        return readonly


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "centre", "role", "granted_by", "granted_at", "revoked_at"]
    list_filter = ["role", "centre"]
    list_select_related = ["user", "centre", "granted_by"]
    readonly_fields = [field.name for field in RoleAssignment._meta.fields]

    # Roles change through the pages and services (the one grant rule, object permissions,
    # audit), not as raw rows: no adding, changing or deleting here.


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "centre", "action", "summary"]
    list_filter = ["action", "centre"]
    search_fields = ["summary", "target_id"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]


admin.site.site_header = "Learning and Support Platform: platform administration"
admin.site.site_title = "Platform administration"
admin.site.index_title = "Centres, people and the email outbox"
