"""Report jobs: a file (Excel or PDF) built by a worker, with progress, for one person."""

import uuid

from django.conf import settings
from django.db import models

from core.models import TenantQuerySet


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # What the file needs of whoever downloads it, re-checked at every download (ADR 0017):
    # {"permissions": [centre permissions, all required], ...kind-specific, e.g. "organisations"}.
    access = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done")
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200)
    error = models.TextField(blank=True)
    outcome = models.TextField(blank=True, help_text="What a job that makes no file did, shown on its page")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker started building it")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life: queued, started or progress (see reporting.jobs)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def makes_file(self) -> bool:
        return bool(self.filename)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}
