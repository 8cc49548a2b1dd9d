"""The email outbox: every email is a row first, written in the caller's transaction."""

import uuid

from django.conf import settings
from django.db import models

from core.models import BaseModel, TenantQuerySet
from notifications.registry import notification_kind


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


class NotificationSubscription(models.Model):
    """A person's choice to get one kind of notification about one centre."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_subscriptions"
    )
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="notification_subscriptions")
    # A registered kind's code (notifications.registry): a new kind needs no migration.
    kind = models.CharField(max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "centre", "kind"], name="one_subscription_per_kind")]

    def __str__(self) -> str:
        try:
            label = notification_kind(self.kind).label
        except KeyError:
            label = self.kind
        return f"{self.user} - {label}"


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


class WeeklySummary(BaseModel):
    """ADR 0026: one person's weekly summary at one centre for one ISO week. The row is
    claimed in the same transaction as its outbox email, so a re-run sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    outbox_email = models.ForeignKey(OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "weekly summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "iso_year", "iso_week"], name="one_weekly_summary_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.iso_year}-W{self.iso_week:02d}"
