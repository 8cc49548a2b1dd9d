"""Platform reference data in and out of the Django admin with django-import-export (ADR 0031):
the base resource and admin mixin every reference-data admin uses, and the centre and job
group resources. Delegates are not here: their bulk upload is our own importer (ADR 0008).

Three rules hold for every resource built on `ReferenceResource`:
- Exports are formula-escaped as every other export is (`reporting.excel.escape_text`: a text
  cell starting with = + - @ tab or CR gets a leading apostrophe), in CSV and in xlsx; an
  import undoes that escaping, so an exported file imports back unchanged.
- An import is audited like an admin change: one `admin.added` / `admin.changed` /
  `admin.deleted` event per row that changed anything, written in the import's own
  transaction (`after_import`), so a failure to audit rolls the whole import back. An import
  with no request to say who made it (not through the admin) is refused before it starts;
  a dry run (the admin's preview) needs none.
- Unchanged rows are skipped (no write, no event); model validation runs on every row.
"""

import re

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import RowResult

from accounts.signals import admin_changed
from centres.models import Centre, JobGroup
from centres.services.centres import (
    CENTRE_CODE_PATTERN,
    centre_create_from,
    ip_prefixes_clean,
)
from centres.services.errors import CentreServiceError
from reporting.excel import escape_text, unescape_text

IMPORT_VERBS = {
    RowResult.IMPORT_TYPE_NEW: "added",
    RowResult.IMPORT_TYPE_UPDATE: "changed",
    RowResult.IMPORT_TYPE_DELETE: "deleted",
}


class ImportNotAudited(Exception):
    """An import that could not say who made it: refused, nothing is written."""


class ReferenceResource(resources.ModelResource):
    class Meta:
        skip_unchanged = True
        clean_model_instances = True
        store_instance = True

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return escape_text(value) if isinstance(value, str) else value

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        if not dry_run and kwargs.get("request") is None:
            raise ImportNotAudited("An import must come through the admin, which records who made it")
        return super().import_data(dataset, dry_run, *args, **kwargs)

    def before_import_row(self, row, **kwargs):
        text_columns = self._text_columns()
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = unescape_text(value.strip())
            elif value is None and column in text_columns:
                row[column] = ""  # a blank xlsx cell (a blank CSV cell is "" already)
        super().before_import_row(row, **kwargs)

    def _text_columns(self) -> set[str]:
        """Columns of text model fields that cannot be null."""
        text = set()
        for field in self.get_import_fields():
            try:
                model_field = self._meta.model._meta.get_field(field.attribute or "")
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, (models.CharField, models.TextField)) and not model_field.null:
                text.add(field.column_name)
        return text

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run"):
            return
        request = kwargs.get("request")
        if request is None:
            raise ImportNotAudited("An import must come through the admin, which records who made it")
        source = f"imported from “{kwargs.get('file_name') or 'a file'}”"
        for row in result.rows:
            verb = IMPORT_VERBS.get(row.import_type)
            if verb is None or row.instance is None:
                continue
            changed = self._changed_columns(row) if verb == "changed" else []
            message = f"{source}: {', '.join(changed)}" if changed else source
            admin_changed.send(
                sender=type(row.instance), request=request, obj=row.instance, verb=verb, message=message, centres=None
            )

    def _changed_columns(self, row) -> list[str]:
        if row.original is None:
            return []
        return [
            field.column_name
            for field in self.get_import_fields()
            if not field.readonly and field.get_value(row.original) != field.get_value(row.instance)
        ]


MAX_IMPORT_BYTES = 5 * 1024 * 1024  # reference data is small; the file is read into memory


class ReferenceImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(f"The file is too large: import at most {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        return upload


class ReferenceAdminMixin(ImportExportMixin):
    """Import and export on a reference-data admin: CSV and xlsx of at most 5 MB; an import
    needs staff status and every permission in `import_permission_codes` on the model (an
    import that may add rows needs add and change); an import that failed says so instead of
    "Import finished"."""

    formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = ReferenceImportForm
    import_permission_codes = ("add", "change")

    def has_import_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        opts = self.opts
        return all(user.has_perm(f"{opts.app_label}.{code}_{opts.model_name}") for code in self.import_permission_codes)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, "Nothing was imported: " + _first_error(result))
            info = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        return super().process_result(result, request)


def _first_error(result) -> str:
    for error in result.base_errors:
        return str(error.error)
    for row in result.rows:
        for error in row.errors:
            return str(error.error)
    for invalid in result.invalid_rows:
        return f"row {invalid.number}: {invalid.error}"
    return "the file has errors"


# -- centres and job groups ----------------------------------------------------------------


class IpPrefixesWidget(widgets.Widget):
    """IP prefixes as typed in the admin: comma-separated text, checked by the service's rule."""

    def clean(self, value, row=None, **kwargs):
        typed = [part for part in re.split(r"[,\s]+", str(value or "")) if part]
        try:
            return ip_prefixes_clean(typed)
        except CentreServiceError as error:
            raise ValueError(str(error)) from error

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


CENTRE_COLUMNS = [
    "code",
    "name",
    "manager_name",
    "email",
    "telephone",
    "postcode",
    "is_active",
    "ip_prefixes",
    "notify_email",
    "support_details",
    "show_in_directory",
    "public_telephone",
    "public_email",
    "opening_hours",
    "web_address",
    "areas_covered",
    "training_venues",
]


class CentreResource(ReferenceResource):
    """Centres by their code (matched whatever its case). A new centre is made by
    `centre_create`, as the admin's add page does (its rules and its `centre.created` event)."""

    ip_prefixes = fields.Field(attribute="ip_prefixes", column_name="ip_prefixes", widget=IpPrefixesWidget())

    class Meta(ReferenceResource.Meta):
        model = Centre
        fields = CENTRE_COLUMNS
        export_order = CENTRE_COLUMNS
        import_id_fields = ["code"]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        code = str(row.get("code") or "").strip().upper()
        if not CENTRE_CODE_PATTERN.match(code):
            raise ValidationError({"code": "Enter a centre code of 2 to 20 letters, numbers or hyphens, like LTHT"})
        row["code"] = code

    def import_data(self, dataset, dry_run=False, *args, **kwargs):
        self._importing_user = kwargs.get("user")
        return super().import_data(dataset, dry_run, *args, **kwargs)

    def do_instance_save(self, instance, is_create):
        if not is_create:
            super().do_instance_save(instance, is_create)
            return
        try:
            created = centre_create_from(instance, actor=self._importing_user)
        except CentreServiceError as error:
            raise ValidationError(str(error)) from error
        for field in Centre._meta.concrete_fields:
            setattr(instance, field.attname, getattr(created, field.attname))


class JobGroupResource(ReferenceResource):
    class Meta(ReferenceResource.Meta):
        model = JobGroup
        fields = ["id", "name"]
        import_id_fields = ["id"]
