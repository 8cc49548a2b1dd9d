"""One row per form render that was saved: its token is unique, so a second POST of the same
render cannot save again (the database decides, with or without the cache)."""

from django.conf import settings
from django.db import models


class SubmissionToken(models.Model):
    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=500)
    # Where the first submission went (its redirect); a repeat is sent there too.
    result_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "form submission"

    def __str__(self) -> str:
        return f"{self.path} at {self.created_at:%Y-%m-%d %H:%M}"
