"""The access pattern's layering (ADR 0027): core knows no app, and reporting reaches the
centre's access and audit trail only through the request and what centres installs."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {"accounts", "centres", "passports", "referrals", "notifications", "reporting", "support", "submissions"}


def _imported(package: str) -> dict[str, set[str]]:
    """Top-level packages each non-test module of `package` imports, by module path."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_reporting_imports_no_centres_module():
    offenders = {path for path, names in _imported("reporting").items() if "centres" in names}
    assert offenders == set()


def test_core_decorators_and_access_import_no_app():
    for path, names in _imported("core").items():
        if path.endswith(("decorators.py", "access.py")):
            assert not names & APPS, path
