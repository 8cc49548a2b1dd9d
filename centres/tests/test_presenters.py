from centres.audit import audit_action_label
from centres.presenters import role_labels, status_tag
from centres.roles import Role


def test_audit_action_labels():
    assert audit_action_label("role.granted") == "Role granted"
    assert audit_action_label("account.locked") == "Account locked"
    assert audit_action_label("referral.outcome_recorded") == "Referral outcome recorded"


def test_status_tags_and_role_labels():
    assert status_tag("unapproved")["text"] == "Awaiting approval"
    assert status_tag("inactive")["classes"] == "nhsuk-tag--grey"
    assert role_labels([Role.EDUCATOR, Role.ASSESSOR]) == ["Assessor", "Educator / manager"]
