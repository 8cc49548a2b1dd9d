"""Demo data for passports: the Step 1 proficiencies (670 items, the real framework) and our
small IV Therapy Passport, both published. Called by `manage.py seed_demo` through
`PassportsConfig.seed_demo`; loads a framework only when no framework of that name exists."""

import json
from pathlib import Path

from passports.models import Framework
from passports.services.frameworks import framework_json_parse, framework_load

DATA = Path(__file__).resolve().parent / "data"
DEMO_FRAMEWORKS = [
    ("Step 1 proficiencies", DATA / "step1-proficiencies.json"),
    ("IV Therapy Passport", DATA / "iv-therapy-passport.json"),
]


def demo_frameworks_load(*, stdout=None) -> list:
    loaded = []
    for name, path in DEMO_FRAMEWORKS:
        if Framework.objects.filter(name=name).exists():
            continue
        rows, prerequisites = framework_json_parse(json.loads(path.read_text(encoding="utf-8")))
        outcome = framework_load(name=name, rows=rows, prerequisites_html=prerequisites, publish=True)
        loaded.append(outcome.version)
        if stdout is not None:
            stdout.write(f"Framework: {outcome.message}")
    return loaded
