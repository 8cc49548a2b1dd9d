"""Framework proficiencies in and out of the Django admin (ADR 0031), on the reference-data
base (`centres.resources`: formula-escaped exports, audited imports, unchanged rows skipped).

A row is one proficiency of one framework version, matched by the version's public id and the
proficiency's key. The versioning guarantee (ADR 0010) holds here too: an import may correct
the name, description, optional and supernumerary flags of a DRAFT version's proficiencies;
a changed row of a published or retired version is refused (its unchanged rows are skipped),
and an import adds and deletes nothing (a new version's proficiencies come from the framework
spreadsheet on the platform's framework pages). Descriptions are sanitised as on upload.
"""

import uuid

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from centres.resources import ReferenceResource
from core.html import sanitise_html
from passports.models import FrameworkVersion, Proficiency

PROFICIENCY_COLUMNS = [
    "framework",
    "version_number",
    "version_status",
    "version",
    "section",
    "position",
    "key",
    "name",
    "description_html",
    "is_optional",
    "is_supernumerary",
]


class UuidWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return uuid.UUID(str(value).strip()) if value not in (None, "") else None

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


class ProficiencyResource(ReferenceResource):
    framework = fields.Field(attribute="version__framework__name", column_name="framework", readonly=True)
    version_number = fields.Field(attribute="version__number", column_name="version_number", readonly=True)
    version_status = fields.Field(attribute="version__status", column_name="version_status", readonly=True)
    version = fields.Field(
        attribute="version",
        column_name="version",
        widget=widgets.ForeignKeyWidget(FrameworkVersion, field="public_id"),
    )
    section = fields.Field(attribute="section__name", column_name="section", readonly=True)
    position = fields.Field(attribute="position", column_name="position", readonly=True)
    key = fields.Field(attribute="key", column_name="key", readonly=True, widget=UuidWidget())

    class Meta(ReferenceResource.Meta):
        model = Proficiency
        fields = PROFICIENCY_COLUMNS
        export_order = PROFICIENCY_COLUMNS
        import_id_fields = ["version", "key"]

    def get_queryset(self):
        return Proficiency.objects.select_related("version__framework", "section").order_by(
            "version__framework__name", "-version__number", "position"
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if new:
            raise ValidationError(
                "No proficiency with this version and key: an import corrects proficiencies, it does not "
                "add them (upload the framework spreadsheet on the framework's page to add some)"
            )

    def before_save_instance(self, instance, row, **kwargs):
        version = instance.version
        if version.status != FrameworkVersion.Status.DRAFT:
            raise ValidationError(
                f"Version {version.number} of {version.framework.name} is {version.get_status_display().lower()} "
                "and cannot be changed: start a new draft to make changes"
            )
        instance.description_html = sanitise_html(instance.description_html)
        super().before_save_instance(instance, row, **kwargs)
