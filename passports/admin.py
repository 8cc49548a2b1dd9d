"""Frameworks in the Django admin: read-only (change them with the platform pages, which keep
the versioning guarantee: /platform/frameworks/)."""

from django.contrib import admin

from accounts.admin_audit import ReadOnlyAdminMixin
from passports.models import Framework, FrameworkVersion


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Frameworks and versions are read here only."""


class FrameworkVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FrameworkVersion
    fields = ["number", "status", "created_at", "published_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["name", "public_id", "created_at"]
    inlines = [FrameworkVersionInline]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["framework"]
    search_fields = ["framework__name"]
    readonly_fields = [
        "framework",
        "number",
        "status",
        "public_id",
        "description",
        "prerequisites_html",
        "created_by",
        "created_at",
        "published_at",
    ]
