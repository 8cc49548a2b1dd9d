"""ADR 0044: every audit action recorded in code has words on the audit trail page, registered by
the app that records it (centres.audit.audit_labels_register), not the code made readable."""

import re
from pathlib import Path

from django.conf import settings

from centres.audit import audit_action_label, audit_labels
from centres.receivers import ADMIN_VERBS
from reporting.registry import _KINDS as JOB_KINDS

APPS = ("accounts", "centres", "core", "elearning", "notifications", "passports", "referrals", "reporting")
APPS += ("staffpassport", "submissions", "support")
# action="x.y" (also f"admin.{verb}"), as audit_record, audit_records and the apps' wrappers take it.
ACTION = re.compile(r"""\baction=(f?)["']([a-z_]+\.[a-z_{}.]+)["']""")


def _actions_in_code() -> set[str]:
    actions = set()
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for is_format, action in ACTION.findall(path.read_text()):
                if is_format and action == "admin.{verb}":
                    actions |= {f"admin.{verb}" for verb in ADMIN_VERBS}
                else:
                    assert "{" not in action, f"{path}: a formatted action the test cannot expand: {action}"
                    actions.add(action)
    # Report downloads are audited in each kind's namespace (reporting.registry.JobKind).
    for kind in JOB_KINDS.values():
        actions |= {kind.downloaded_action, kind.refused_action}
    return actions


def test_the_scan_finds_the_actions_of_every_app():
    actions = _actions_in_code()
    for prefix in ("account.", "elearning.", "staffpassport.", "passport.", "referral.", "support.", "admin."):
        assert any(action.startswith(prefix) for action in actions), prefix
    assert "elearning.invitation_sent" in actions
    assert "referral.report_downloaded" in actions


def test_every_audit_action_recorded_in_code_has_a_label():
    labels = audit_labels()
    missing = sorted(action for action in _actions_in_code() if not labels.get(action, "").strip())
    assert missing == []


def test_labels_read_as_words():
    assert audit_action_label("elearning.invitation_sent") == "eLearning invitation sent"
    assert audit_action_label("staffpassport.credentials_required_bypassed") == "Credentials required bypassed"
    assert audit_action_label("something.not_labelled") == "Something not labelled"
