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
