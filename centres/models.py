"""The tenant (`Centre`), a person's record at a centre (`Membership`), role grants, job
groups and the audit trail."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from centres.roles import PERMISSION_LABELS, Role


class Centre(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=20, unique=True, help_text="Short unique code, e.g. LTHT")
    name = models.CharField(max_length=250)
    manager_name = models.CharField("clinical centre manager", max_length=250, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ip_prefixes = models.JSONField(
        default=list,
        blank=True,
        help_text="Registrations from an address starting with one of these are approved at once.",
    )
    notify_email = models.EmailField(blank=True)
    support_details = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Upper("code"), name="centre_code_ci_unique")]
        permissions = [(permission.codename, label) for permission, label in PERMISSION_LABELS.items()]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TenantQuerySet(models.QuerySet):
    """Every tenant-owned model's manager: reach rows through the centre."""

    def for_centre(self, centre: Centre):
        return self.filter(centre=centre)


class JobGroup(models.Model):
    """Reference list from the DLS tracking system (seed 000); ids are kept."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegistrationType(models.TextChoices):
    SELF = "self", "Self-registered"
    CENTRE = "centre", "Registered by centre"
    BULK = "bulk", "Bulk upload"


class Membership(models.Model):
    """A person's delegate record at one centre."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="memberships")
    delegate_number = models.CharField(max_length=20, unique=True)
    centre_email = models.EmailField(blank=True)
    job_group = models.ForeignKey(JobGroup, on_delete=models.PROTECT, null=True, blank=True)
    answer1 = models.CharField(max_length=100, blank=True)
    answer2 = models.CharField(max_length=100, blank=True)
    answer3 = models.CharField(max_length=100, blank=True)
    answer4 = models.CharField(max_length=100, blank=True)
    answer5 = models.CharField(max_length=100, blank=True)
    answer6 = models.CharField(max_length=100, blank=True)
    has_prn = models.BooleanField(null=True, blank=True)
    prn = models.CharField("professional registration number", max_length=20, blank=True)
    is_approved = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    registration_type = models.CharField(max_length=10, choices=RegistrationType.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="membership_one_per_centre"),
            models.UniqueConstraint(Upper("delegate_number"), name="delegate_number_ci_unique"),
        ]
        indexes = [models.Index(fields=["centre", "is_active", "is_approved"])]

    def __str__(self) -> str:
        return f"{self.delegate_number} at {self.centre.code}"

    @property
    def status(self) -> str:
        if not self.is_active:
            return "inactive"
        if not self.is_approved:
            return "unapproved"
        return "active"


class DelegateNumberCounter(models.Model):
    """One row: the last number handed out. Locked while a number is allocated (C5)."""

    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Last delegate number: {self.last_number}"


class RoleAssignment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=[(role.value, role.label) for role in Role])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "role"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {Role(self.role).label} at {self.centre.code}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """Who did what, to what, when and from where. Written by `centres.audit.audit_record`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["centre", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
