"""How reporting writes to the audit trail without knowing who keeps it: the app that owns the
trail (centres) installs its recorder from `AppConfig.ready()`, as features install their
report kinds (ADR 0027)."""

from collections.abc import Callable

# Called with actor, centre, action, target, summary and request, as `centres.audit.audit_record`.
AuditRecorder = Callable[..., object]
_recorder: list[AuditRecorder] = []


def audit_recorder_set(recorder: AuditRecorder) -> None:
    """Installed once by the app that keeps the audit trail."""
    _recorder[:] = [recorder]


def report_audit_record(*, actor, centre, action: str, target, summary: str, request=None) -> None:
    if not _recorder:
        raise RuntimeError("No audit recorder installed: the centres app records report downloads")
    _recorder[0](actor=actor, centre=centre, action=action, target=target, summary=summary, request=request)
