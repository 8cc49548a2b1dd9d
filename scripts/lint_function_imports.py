#!/usr/bin/env python
"""Fail when a service module imports anything but a task module inside a function.

ruff's PLC0415 (import-outside-top-level) is ignored for services (pyproject.toml) because of
one documented pattern (ADR 0029): a service queues its app's task and the task calls the
service back, so `services*.py` imports `<app>.tasks` inside the function that queues it.
ruff cannot say which module an import names; this script does. Usage:
python scripts/lint_function_imports.py [PATH ...]
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Service modules not named services*: the bulk upload service queues its tasks the same way.
EXTRA_SERVICE_MODULES = {"centres/bulk/uploads.py"}
SKIP = {".venv", ".tools", "node_modules", "static", "staticfiles", "tests", "migrations"}


def service_modules(paths: list[Path]) -> list[Path]:
    found = []
    for base in paths:
        for path in [base] if base.is_file() else base.rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if SKIP.intersection(parts):
                continue
            if path.name.startswith("services") or "services" in parts[:-1] or "/".join(parts) in EXTRA_SERVICE_MODULES:
                found.append(path)
    return sorted(found)


def function_level_imports(tree: ast.Module):
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom):
                    yield node, node.module or ""
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        yield node, alias.name


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: imports {module} inside a function (only *.tasks may be)"
        for node, module in function_level_imports(tree)
        if not module.endswith(".tasks")
    ]


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or [ROOT]
    found = [problem for path in service_modules(paths) for problem in problems(path)]
    print("\n".join(found) if found else "Function-level imports: services import only tasks.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
