"""U2/U3 from the command line, through the same import kind as the pages
(reporting.import_command: exit status 0 valid, 1 rows with errors, 2 unusable file)."""

from centres.bulk.kind import KIND
from centres.models import Centre
from reporting.import_command import ImportCommand


class Command(ImportCommand):
    help = "Import delegates from a DelegatesBulkUpload workbook (dry run unless --commit)"
    kind = KIND
    file_help = "The .xlsx workbook"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--welcome-emails", action="store_true", help="Send welcome emails to the new delegates after the commit"
        )

    def centre_find(self, code: str):
        return Centre.objects.filter(code__iexact=code).first()

    def commit_context(self, options: dict) -> dict:
        return {"uploaded_by": None, "welcome_emails": options["welcome_emails"]}

    def summary(self, run):
        summary = run.preview.summary()
        for stored_only in ("errors", "error_rows", "people", "people_more"):  # the upload page's, not the command's
            del summary[stored_only]
        line = (
            f"{summary['rows']} rows: {summary['new']} new, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {len(run.preview.errors)} with errors"
        )
        return summary, line
