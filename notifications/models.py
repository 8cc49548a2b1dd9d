"""The email outbox: every email is a row first, written in the caller's transaction."""

import uuid

from django.conf import settings
from django.db import models

from core.models import TenantQuerySet


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (gave up)"
        CANCELLED = "cancelled", "Cancelled (replaced before it was sent)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Outbox rows are not tenant data for the lint: centre is informational and optional
    # (account emails belong to no centre).
    centre_code = models.CharField(max_length=20, blank=True)
    template = models.CharField(max_length=200)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    send_after = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbound email"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class NotificationKind(models.TextChoices):
    """C11: what a person can subscribe to (which roles may, is in centres.notification_rules)."""

    SYSTEM_NOTICE = "system_notice", "System notification added"
    REGISTRATION_APPROVAL = "registration_approval", "Delegate registration requires approval"
    SUPPORT_TICKET = "support_ticket", "Support ticket alerts"
    CONFIRMATION_REQUESTED = "confirmation_requested", "Confirmation requested"
    SIGN_OFF_REQUESTED = "sign_off_requested", "Sign-off requested"
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"


class NotificationSubscription(models.Model):
    """A person's choice to get one kind of notification about one centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_subscriptions"
    )
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="notification_subscriptions")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "centre", "kind"], name="one_subscription_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_kind_display()}"


class SystemNotice(models.Model):
    """C14: a notice from the platform team, shown on dashboards and emailed to subscribers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty = draft")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title
