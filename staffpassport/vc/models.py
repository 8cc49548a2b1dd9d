"""The platform's signing keys for verifiable credentials (ADR 0040). Not tenant data: one
set of keys signs every trust's credentials, as the platform is the issuer.

The private key is stored sealed (AES-GCM under a key derived from VC_SIGNING_KEY_SECRET,
`staffpassport.vc.keys`): a copy of the database alone cannot sign. It is never shown in the
admin or on any page; the model is not registered with the admin."""

from django.db import models
from django.db.models import Q

from core.models import BaseModel


class SigningKey(BaseModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active (signs new credentials)"
        RETIRED = "retired", "Retired (still published, so what it signed still verifies)"

    kid = models.CharField(max_length=64, unique=True, help_text="RFC 7638 thumbprint of the public key")
    public_key = models.CharField(max_length=64, help_text="The raw Ed25519 public key, base64url")
    private_key_sealed = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    activated_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-activated_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="one_active_signing_key"),
            models.CheckConstraint(
                condition=Q(status="active", retired_at__isnull=True) | Q(status="retired", retired_at__isnull=False),
                name="signing_key_retired_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Signing key {self.kid} ({self.get_status_display()})"
