"""S7 from the command line (the daily ESR feed), through the same import kind as the page.

Exit status: 0 every row valid (and committed with --commit), 1 any row has an error (nothing
written), 2 the file cannot be read or the centre is unknown (message on stderr)."""

import dataclasses
import json
import os

from django.core.management.base import BaseCommand

from centres.models import Centre
from reporting.imports import import_commit, import_preview
from staffpassport.esr.kind import KIND
from staffpassport.esr.reading import EsrFeedError


class Command(BaseCommand):
    help = "Import staff and credentials from an ESR CSV feed (dry run unless --commit); see docs/esr-feed.md"

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ESR feed, a .csv file")
        parser.add_argument("--centre", required=True, help="The trust's centre code, e.g. LTHT")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run)")
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def _fail(self, message: str, status: int):
        self.stderr.write(message)
        raise SystemExit(status)

    def handle(self, *args, **options):
        centre = Centre.objects.filter(code__iexact=options["centre"]).first()
        if centre is None:
            self._fail(f"No centre has the code {options['centre']}", 2)
        path = options["path"]
        try:
            with open(path, "rb") as handle:
                preview = import_preview(KIND, file=handle, centre=centre)
                counts = preview.counts
                committed = False
                if options["commit"] and not preview.has_errors:
                    counts = import_commit(KIND, preview=preview, centre=centre, file_name=os.path.basename(path))
                    committed = True
        except FileNotFoundError:
            self._fail(f"No such file: {path}", 2)
        except EsrFeedError as error:
            self._fail(error.message, 2)
        summary = {**dataclasses.asdict(counts), "errors": preview.error_list(), "committed": committed}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"{counts.rows} rows: {counts.new_staff} new and {counts.changed_staff} changed staff, "
                f"{counts.new_credentials} new and {counts.changed_credentials} changed credentials "
                f"({counts.issued_automatically} issued automatically, {counts.waiting} waiting for manual issue), "
                f"{preview.counts.errors} rows with errors"
            )
            for error in summary["errors"]:
                for message in error["messages"]:
                    self.stdout.write(f"Row {error['row']}: {message}")
            self.stdout.write("Committed" if committed else "Nothing written")
        if preview.has_errors:
            raise SystemExit(1)
