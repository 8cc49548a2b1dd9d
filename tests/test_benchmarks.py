"""The benchmarks cannot rot silently (issue 12 finding 8). `.ci/run` runs each with `--smoke`;
these fast checks fail `make test` already when a benchmark names a function or module
attribute of the project that no longer exists (benchmarks/referrals.py once called a renamed
`reports.access_for_user` and crashed), or when its options no longer parse."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(
    path for path in (ROOT / "benchmarks").glob("*.py") if path.stem not in {"__init__", "database", "scaling"}
)
PROJECT = {
    "accounts",
    "benchmarks",
    "centres",
    "elearning",
    "notifications",
    "passports",
    "referrals",
    "reporting",
    "staffpassport",
}


def _project_references(path: Path) -> list[tuple[str, str, int]]:
    """(module, attribute, line) for every `from project.module import name` and every
    `alias.attribute` where `alias` is a project module the benchmark imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    references, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PROJECT:
            for name in node.names:
                references.append((node.module, name.name, node.lineno))
                aliases[name.asname or name.name] = f"{node.module}.{name.name}"
        elif isinstance(node, ast.Import):
            for name in node.names:
                if name.name.split(".")[0] in PROJECT:
                    aliases[name.asname or name.name] = name.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            references.append((aliases[node.value.id], node.attr, node.lineno))
    return references


def test_every_benchmark_is_checked():
    assert {path.stem for path in BENCHMARKS} >= {"bulk_upload", "delegate_list", "passport", "referrals", "elearning"}


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda path: path.stem)
def test_benchmark_names_only_what_exists(path):
    missing = []
    for module_name, attribute, line in _project_references(path):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # `alias.attribute` where alias is a class or function, not a module
        if not hasattr(module, attribute):
            try:
                importlib.import_module(f"{module_name}.{attribute}")  # a submodule
            except ModuleNotFoundError:
                missing.append(f"{path.name}:{line}: {module_name}.{attribute}")
    assert not missing, missing


# locustfile.py is loaded by locust (through benchmarks/load.py), not run as a script.
SCRIPTS = [path for path in BENCHMARKS if path.stem != "locustfile"]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.stem)
def test_benchmark_options_parse(path):
    """`--help` exits 0 before touching any database, and names `--smoke`."""
    result = subprocess.run(
        [sys.executable, str(path), "--help"], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "--smoke" in result.stdout
