"""The management command of an import kind (ADR 0042): `manage.py <command> PATH --centre CODE
[--commit] [--json]`, the same read, check and commit as the upload page, in this process.

Exit status: 0 every row valid (and committed with --commit), 1 any row has an error
(nothing written), 2 the file cannot be read or the centre is unknown (message on stderr).
A feature's command names its kind and says how to find the centre, what else its commit
needs and how to summarise the outcome in a line."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand

from core.exceptions import ServiceError
from reporting.upload_workflow import ImportRun, import_file_run


class ImportCommand(BaseCommand):
    kind: str = ""  # the import kind
    file_help = "The file to import"
    row_label = "Row"  # how the file's row numbers are named in the text output

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.file_help)
        parser.add_argument("--centre", required=True, help="The centre's code, e.g. LTHT")
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: dry run)")
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    # -- what a feature's command says -------------------------------------------------

    def centre_find(self, code: str):
        raise NotImplementedError

    def commit_context(self, options: dict) -> dict:
        return {}

    def summary(self, run: ImportRun) -> tuple[dict, str]:
        """The JSON summary (without errors and committed) and the one-line text summary."""
        raise NotImplementedError

    # -- the run -----------------------------------------------------------------------

    def _fail(self, message: str, status: int):
        self.stderr.write(message)
        raise SystemExit(status)

    def handle(self, *args: Any, **options: Any):
        centre = self.centre_find(options["centre"])
        if centre is None:
            self._fail(f"No centre has the code {options['centre']}", 2)
        path = options["path"]
        try:
            with open(path, "rb") as handle:
                run = import_file_run(
                    self.kind,
                    file=handle,
                    commit=options["commit"],
                    context={"centre": centre},
                    commit_context={"file_name": os.path.basename(path), **self.commit_context(options)},
                )
        except FileNotFoundError:
            self._fail(f"No such file: {path}", 2)
        except ServiceError as error:  # the kind's "this file cannot be used"
            self._fail(error.message, 2)
        data, line = self.summary(run)
        errors = run.preview.error_list()
        if options["json"]:
            self.stdout.write(json.dumps({**data, "errors": errors, "committed": run.committed}))
        else:
            self.stdout.write(line)
            for error in errors:
                for message in error["messages"]:
                    self.stdout.write(f"{self.row_label} {error['row']}: {message}")
            self.stdout.write("Committed" if run.committed else "Nothing written")
        if run.preview.has_errors:
            raise SystemExit(1)
