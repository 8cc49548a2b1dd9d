"""S7 from the command line (the daily ESR feed), through the same import kind as the page
(reporting.import_command: exit status 0 valid, 1 rows with errors, 2 unusable file)."""

import dataclasses

from centres.models import Centre
from reporting.import_command import ImportCommand
from staffpassport.esr.kind import KIND


class Command(ImportCommand):
    help = "Import staff and credentials from an ESR CSV feed (dry run unless --commit); see docs/esr-feed.md"
    kind = KIND
    file_help = "The ESR feed, a .csv file"
    row_label = "Line"  # as the upload page: the heading is line 1

    def centre_find(self, code: str):
        return Centre.objects.filter(code__iexact=code).first()

    def summary(self, run):
        counts = run.outcome or run.preview.counts
        line = (
            f"{counts.rows} rows: {counts.new_staff} new and {counts.changed_staff} changed staff, "
            f"{counts.new_credentials} new and {counts.changed_credentials} changed credentials "
            f"({counts.issued_automatically} issued automatically, {counts.waiting} waiting for manual issue), "
            f"{run.preview.counts.errors} rows with errors"
        )
        return dataclasses.asdict(counts), line
