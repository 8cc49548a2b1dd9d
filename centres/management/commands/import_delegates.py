"""U2/U3 from the command line, through the same importer as the pages.

Exit status: 0 every row valid (and committed with --commit), 1 any row has an error (nothing
written), 2 the file cannot be read (message on stderr)."""

import json
import os

from django.core.management.base import BaseCommand

from centres.bulk.reading import BulkFileError, read_workbook
from centres.bulk.saving import commit
from centres.bulk.validation import validate
from centres.models import Centre


class Command(BaseCommand):
    help = "Import delegates from a DelegatesBulkUpload workbook (dry run unless --commit)"

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx workbook")
        parser.add_argument("--centre", required=True, help="The centre's code, e.g. LTHT")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run)")
        parser.add_argument(
            "--welcome-emails", action="store_true", help="Send welcome emails to the new delegates after the commit"
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def _fail(self, message: str, status: int):
        self.stderr.write(message)
        raise SystemExit(status)

    def handle(self, *args, **options):
        centre = Centre.objects.filter(code__iexact=options["centre"]).first()
        if centre is None:
            self._fail(f"No centre has the code {options['centre']}", 2)
        try:
            rows = read_workbook(options["path"])
        except FileNotFoundError:
            self._fail(f"No such file: {options['path']}", 2)
        except BulkFileError as error:
            self._fail(error.message, 2)
        preview = validate(centre=centre, rows=rows)
        summary = preview.summary()
        committed = False
        if options["commit"] and not preview.has_errors:
            commit(
                centre=centre,
                preview=preview,
                uploaded_by=None,
                file_name=os.path.basename(options["path"]),
                welcome_emails=options["welcome_emails"],
            )
            committed = True
        summary["committed"] = committed
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"{summary['rows']} rows: {summary['new']} new, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged, {len(summary['errors'])} with errors"
            )
            for error in summary["errors"]:
                for message in error["messages"]:
                    self.stdout.write(f"Row {error['row']}: {message}")
            self.stdout.write("Committed" if committed else "Nothing written")
        if preview.has_errors:
            raise SystemExit(1)
