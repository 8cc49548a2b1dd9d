"""Load a framework from a JSON file (P1), for example the Step 1 proficiencies:

    python manage.py load_framework_json passports/data/step1-proficiencies.json --name "Step 1 proficiencies"

The file is a list of items ("Competency group", "Competency name", "Competency description",
"Purple (supernumerary competency)") or an object {"prerequisites_html": ..., "items": [...]}.
Publishes the version unless --draft. Re-running with the same name and the same content
changes nothing; with different content it writes a new version (or replaces the draft) and
publishes it, retiring the previous one (learners enrolled on it keep it).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from passports.services.framework_json import framework_json_parse, framework_load
from passports.services.framework_rows import FrameworkError


class Command(BaseCommand):
    help = "Load a framework version from a JSON file (publishes it unless --draft)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the JSON file")
        parser.add_argument("--name", required=True, help='the framework\'s name, e.g. "Step 1 proficiencies"')
        parser.add_argument("--draft", action="store_true", help="leave the new version as a draft")

    def handle(self, *args, path, name, draft, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CommandError(f"No file at {path}") from error
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} is not a readable JSON file: {error}") from error
        try:
            rows, prerequisites = framework_json_parse(data)
            outcome = framework_load(name=name, rows=rows, prerequisites_html=prerequisites, publish=not draft)
        except FrameworkError as error:
            raise CommandError(error.message) from error
        self.stdout.write(outcome.message)
