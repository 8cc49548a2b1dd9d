"""S7 models of the ESR feed (ADR 0039): an upload of a feed file (an import job on
`reporting.imports`), and each team's weekly summary record (one per trust, team and ISO
week, claimed in the transaction of its email). Imported at the end of models.py."""

from django.conf import settings
from django.db import models

from core.models import BaseModel, TenantQuerySet


class EsrImport(BaseModel):
    """One ESR feed file uploaded on the page: checked (preview), then confirmed and saved in
    one transaction, in the request when small, by the worker when big."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking"
        PREVIEW = "preview", "Checked"
        REJECTED = "rejected", "Cannot be used"
        COMMITTING = "committing", "Saving"
        COMMITTED = "committed", "Saved"
        FAILED = "failed", "Not saved"
        CANCELLED = "cancelled", "Cancelled"

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="staffpassport_esr_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="esr-feeds/", blank=True)
    file_name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VALIDATING)
    counts = models.JSONField(default=dict, blank=True, help_text="EsrCounts of the preview, then of the commit.")
    errors = models.JSONField(default=list, blank=True, help_text="[{row, messages}] of the preview.")
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.COMMITTING}


class TeamWeeklySummary(BaseModel):
    """S7: a team's weekly summary at a trust for one ISO week (ADR 0039)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    team = models.CharField(max_length=30)
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    outbox_email = models.ForeignKey(
        "notifications.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "team weekly summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "team", "iso_year", "iso_week"], name="sp_one_team_summary_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.iso_year}-W{self.iso_week:02d}"
