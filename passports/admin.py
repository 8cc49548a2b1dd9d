"""Frameworks in the Django admin: read-only (change them with the platform pages, which keep
the versioning guarantee: /platform/frameworks/). Their proficiencies export and import as
CSV or xlsx (passports/resources.py, ADR 0031): an import corrects a draft version's
proficiencies only, audited; nothing is changed row by row here."""

from django.contrib import admin

from accounts.admin_audit import ReadOnlyAdminMixin
from centres.resources import ReferenceAdminMixin
from passports.models import Framework, FrameworkVersion, Proficiency
from passports.resources import ProficiencyResource


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


@admin.register(Proficiency)
class ProficiencyAdmin(ReferenceAdminMixin, ReadOnlyAdmin):
    resource_classes = [ProficiencyResource]
    import_permission_codes = ("change",)  # an import adds no proficiency
    list_display = ["name", "version", "section", "position", "is_optional", "is_supernumerary"]
    list_filter = ["version__status", "is_optional", "is_supernumerary"]
    list_select_related = ["version__framework", "section"]
    search_fields = ["name", "version__framework__name"]
    readonly_fields = [
        "key",
        "version",
        "section",
        "position",
        "name",
        "description_html",
        "is_optional",
        "is_supernumerary",
    ]
