from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from centres.audit import audit_record
from centres.bulk.download import delegates_workbook
from centres.models import Centre


class Command(BaseCommand):
    help = (
        "Write a centre's current delegates as the bulk upload workbook (U1): "
        "python manage.py export_delegates --centre CODE PATH"
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", required=True, help="The centre's code, e.g. LTHT")
        parser.add_argument("path", help="Where to write the .xlsx file")

    def handle(self, *args, **options):
        code = options["centre"].strip()
        centre = Centre.objects.filter(code__iexact=code).first()
        if centre is None:
            raise CommandError(f"No centre with code {code!r}")
        content = delegates_workbook(centre=centre, include_delegates=True)
        path = Path(options["path"])
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        count = centre.memberships.count()
        audit_record(
            actor=None,
            centre=centre,
            action="delegates.bulk_downloaded",
            summary=f"Bulk upload workbook with {count} delegate record{'' if count == 1 else 's'} "
            "including PRNs written by the export_delegates command",
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} delegates of {centre.code} to {path}"))
