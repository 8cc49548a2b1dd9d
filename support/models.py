"""C13 support tickets: a centre asks the platform team for help, and the conversation."""

import uuid

from django.conf import settings
from django.db import models

from core.models import TenantQuerySet


class SupportTicket(models.Model):
    """C13: a centre manager or administrator asks the platform team for help."""

    class Category(models.TextChoices):
        ACCOUNTS = "accounts", "Accounts and logging in"
        DELEGATES = "delegates", "Registering and managing delegates"
        PASSPORTS = "passports", "Proficiency passports"
        REPORTS = "reports", "Reports and downloads"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="support_tickets")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    detail = models.TextField()
    category = models.CharField(max_length=20, choices=Category.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "centres_supportticket"  # kept from before the move to this app (ADR 0032)
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.centre.code}: {self.subject}"


class SupportTicketReply(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(SupportTicket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_platform_team = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        db_table = "centres_supportticketreply"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reply to {self.ticket}"
