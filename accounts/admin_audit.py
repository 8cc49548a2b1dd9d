"""Every change platform staff make to people, roles and registers in the Django admin goes to
the audit trail (issue 11, finding 4), not only to Django's own admin log.

`AuditedAdminMixin` hooks the three places the admin records a change (add, change - also
list edits and inline changes - and deletions, singly or by the bulk action) and announces it
with `accounts.signals.admin_changed`; `centres.receivers` writes the `AuditEvent`s (the audit
trail lives in `centres`, which imports us). A ModelAdmin says which centres a change concerns
with `audit_centres(obj)` (None: the receiver works it out from the object).
"""

import json

from django.contrib.admin.models import LogEntry

from accounts.signals import admin_changed


def _message_text(message) -> str:
    """Django's change message (a list of dicts, or text) in words."""
    if not message:
        return ""
    if isinstance(message, str):
        return message

    return LogEntry(change_message=json.dumps(message)).get_change_message()


class AuditedAdminMixin:
    def audit_centres(self, obj):
        return None

    def admin_audit(self, request, obj, *, verb: str, message: str = "") -> None:
        admin_changed.send(
            sender=type(obj),
            request=request,
            obj=obj,
            verb=verb,
            message=message,
            centres=self.audit_centres(obj),
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.admin_audit(request, obj, verb="added", message=_message_text(message))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.admin_audit(request, obj, verb="changed", message=_message_text(message) or "no fields changed")
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self.admin_audit(request, obj, verb="deleted")
        return super().log_deletions(request, queryset)


class ReadOnlyAdminMixin:
    """For admin pages that only show rows: what they list changes through the pages and
    services (rules, audit), never as raw rows here. Also for inlines."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
