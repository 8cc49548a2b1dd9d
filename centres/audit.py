"""`audit_record`: the one way anything is written to the audit trail."""

from django.db import models

from accounts.net import client_ip
from centres.models import AuditEvent, Centre


def audit_record(
    *,
    actor,
    action: str,
    centre: Centre | None = None,
    target: models.Model | None = None,
    summary: str = "",
    request=None,
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    target_id = ""
    if target is not None:
        target_id = str(getattr(target, "public_id", None) or target.pk)
    return AuditEvent.objects.create(
        actor=actor,
        centre=centre,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=target_id,
        summary=summary[:2000],
        ip=client_ip(request) if request is not None else None,
    )


def audit_records(
    *,
    actor,
    action: str,
    centre: Centre,
    targets: list[tuple[models.Model, str]],
    request=None,
) -> list[AuditEvent]:
    """`audit_record` of one action on many targets (`(target, summary)` pairs), written with
    one INSERT per 1,000 events: for set-based services such as bulk welcome emails."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip = client_ip(request) if request is not None else None
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                centre=centre,
                action=action,
                target_type=target._meta.label,
                target_id=str(getattr(target, "public_id", None) or target.pk),
                summary=summary[:2000],
                ip=ip,
            )
            for target, summary in targets
        ],
        batch_size=1000,
    )


# -- Labels: the words the audit trail page shows for each action ---------------------------------
# Each app registers the labels of the actions it records from its AppConfig.ready()
# (`audit_labels_register`), so centres names no feature's actions (ADR 0044). An action
# without a label still reads sensibly ("Elearning module started"); a test fails on any
# action recorded in code without one.

_LABELS: dict[str, str] = {}


def audit_labels_register(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def audit_labels() -> dict[str, str]:
    return dict(_LABELS)


def audit_action_label(action: str) -> str:
    """Words for an audit action: its registered label, else the action code made readable."""
    return _LABELS.get(action) or action.replace(".", " ").replace("_", " ").capitalize()
