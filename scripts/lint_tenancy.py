#!/usr/bin/env python
"""Fail when a view module reaches tenant-owned data without going through the centre.

Tenant-owned models are the ones with a `centre` foreign key (found by asking Django). In a
view module (`*/views.py` or `*/views/*.py`) these are refused:

    Membership.objects.get(...)              # any manager call other than .for_centre(...)
    Membership.objects.filter(...)
    get_object_or_404(Membership, ...)
    get_list_or_404(Membership, ...)

Allowed: `Membership.objects.for_centre(request.centre)...`, `request.centre.memberships...`,
or a selector that takes the centre. Usage: python scripts/lint_tenancy.py [PATH ...]
"""

import ast
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def tenant_model_names() -> set[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.apps import apps

    django.setup()
    names = set()
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        if "centre" in field_names and model._meta.get_field("centre").is_relation:
            names.add(model.__name__)
    return names


def view_modules(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_file():
            found.append(path)
            continue
        for candidate in path.rglob("*.py"):
            parts = candidate.relative_to(path).parts
            if any(part in {".venv", "node_modules", "migrations", "tests"} for part in parts):
                continue
            if candidate.name == "views.py" or "views" in parts[:-1]:
                found.append(candidate)
    return sorted(found)


def violations_in(source: str, tenant_models: set[str]) -> list[tuple[int, str]]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in SHORTCUTS and node.args:
                first = node.args[0]
                model = first.id if isinstance(first, ast.Name) else getattr(first, "attr", None)
                if model in tenant_models:
                    problems.append((node.lineno, f"{name}({model}, ...) is not scoped to the centre"))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            manager = node.value
            is_tenant_manager = (
                manager.attr == "objects" and isinstance(manager.value, ast.Name) and manager.value.id in tenant_models
            )
            if is_tenant_manager and node.attr != "for_centre":
                model = manager.value.id
                message = f"{model}.objects.{node.attr}(...) is not scoped: use .for_centre(request.centre)"
                problems.append((node.lineno, message))
    return problems


def main(argv: list[str]) -> int:
    tenant_models = tenant_model_names()
    paths = [Path(arg) for arg in argv] or [ROOT]
    failures = 0
    for module in view_modules(paths):
        for lineno, message in violations_in(module.read_text(), tenant_models):
            print(f"{module}:{lineno}: {message}")
            failures += 1
    if failures:
        print(f"\n{failures} unscoped tenant quer{'y' if failures == 1 else 'ies'} in view modules.")
        return 1
    print(f"Tenancy lint: no unscoped queries ({len(tenant_models)} tenant models checked).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
