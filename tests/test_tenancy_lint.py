"""The tenancy lint (scripts/lint_tenancy.py) passes on the project and fails on a planted
unscoped query."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "lint_tenancy.py"


def run_lint(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_project_view_modules_pass():
    result = run_lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no unscoped queries" in result.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Membership.objects.get(pk=request.GET['id'])", "Membership.objects.get(...) is not scoped"),
        ("Membership.objects.filter(is_active=True)", "Membership.objects.filter(...) is not scoped"),
        ("get_object_or_404(RoleAssignment, public_id=pk)", "get_object_or_404(RoleAssignment, ...) is not scoped"),
        ("AuditEvent.objects.all()", "AuditEvent.objects.all(...) is not scoped"),
    ],
)
def test_planted_violation_fails(tmp_path, line, message):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "views.py").write_text(f"def leaky(request, pk):\n    return {line}\n")
    result = run_lint(tmp_path)
    assert result.returncode == 1
    assert message in result.stdout
    assert "views.py:2" in result.stdout


def test_scoped_queries_and_non_view_modules_pass(tmp_path):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "views.py").write_text(
        "def fine(request):\n"
        "    Membership.objects.for_centre(request.centre).filter(is_active=True)\n"
        "    return request.centre.memberships.all()\n"
    )
    (app / "selectors.py").write_text("def anything():\n    return Membership.objects.all()\n")
    result = run_lint(tmp_path)
    assert result.returncode == 0, result.stdout
