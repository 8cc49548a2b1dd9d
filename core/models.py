"""Base pieces for models: a public id and timestamps, and the tenant queryset."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """A new model's base: a public UUID (the id in URLs, never the primary key) and when the
    row was created and last changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet):
    """Every tenant-owned model's manager: reach rows through the centre (DESIGN.md, tenancy)."""

    def for_centre(self, centre):
        return self.filter(centre=centre)
