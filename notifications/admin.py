from django.contrib import admin

from accounts.admin_audit import ReadOnlyAdminMixin
from notifications.models import OutboundEmail, SystemNotice


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox: every email the platform wrote, readable here (follow a welcome link locally)."""

    list_display = ["created_at", "subject", "recipients", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to", "text_body"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    @admin.display(description="To")
    def recipients(self, email):
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False


@admin.register(SystemNotice)
class SystemNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """C14, read-only: notices are posted and published at /platform/notices/ (which emails
    the subscribers); here they can only be read."""

    list_display = ["title", "published_at", "expires_at", "created_by", "created_at"]
    list_filter = ["published_at"]
    search_fields = ["title", "body"]
    readonly_fields = [field.name for field in SystemNotice._meta.fields]
