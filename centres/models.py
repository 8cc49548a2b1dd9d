"""The tenant (`Centre`), a person's record at a centre (`Membership`), role grants, job
groups and the audit trail."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from centres.roles import PERMISSION_LABELS, Role
from core.models import TenantQuerySet


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
    notify_email = models.EmailField(
        blank=True, help_text="A shared inbox told about registrations that need approval (C2)."
    )
    support_details = models.TextField(blank=True, help_text="Shown to learners: who to contact for help.")
    # Public directory details ("Find your centre", C1/C10).
    public_telephone = models.CharField(max_length=40, blank=True)
    public_email = models.EmailField(blank=True)
    opening_hours = models.CharField(max_length=250, blank=True)
    web_address = models.URLField(blank=True)
    areas_covered = models.TextField(blank=True)
    training_venues = models.TextField(blank=True)
    show_in_directory = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Upper("code"), name="centre_code_ci_unique")]
        permissions = [(permission.codename, label) for permission, label in PERMISSION_LABELS.items()]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RegistrationPrompt(models.Model):
    """C10: up to 6 questions a centre asks at registration; answers go in Membership.answerN."""

    MAX_PROMPTS = 6
    MAX_OPTION_LENGTH = 100

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveSmallIntegerField(help_text="1 to 6: which answer column holds the answer")
    text = models.CharField(max_length=250)
    is_mandatory = models.BooleanField(default=False)
    options = models.JSONField(default=list, blank=True, help_text="Allowed answers; empty means free text.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "position"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "position"], name="one_prompt_per_position"),
            models.CheckConstraint(condition=Q(position__gte=1) & Q(position__lte=6), name="prompt_position_1_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.centre.code} prompt {self.position}: {self.text}"

    @property
    def answer_field(self) -> str:
        return f"answer{self.position}"


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
    alias_id = models.CharField(
        "alias ID",
        max_length=250,
        blank=True,
        help_text="The centre's own identifier for this person (e.g. staff number).",
    )
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
    approved_at = models.DateTimeField(null=True, blank=True)
    welcome_email_sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the person made or accepted this record themselves (centres.ownership).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "centre"], name="membership_one_per_centre"),
            models.UniqueConstraint(Upper("delegate_number"), name="delegate_number_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["centre", "is_active", "is_approved"]),
            # The delegate list's "newest first" (keyset pages seek on it; ADR 0022).
            models.Index(fields=["centre", "created_at", "id"], name="membership_centre_created"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate_number} at {self.centre.code}"

    @property
    def status(self) -> str:
        if not self.is_active:
            return "inactive"
        if not self.is_approved:
            return "unapproved"
        return "active"


class WelcomeLink(models.Model):
    """C4: the "Verify your registration" link. Single use, expires after a month; only a
    hash of the token is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="welcome_links")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="welcome_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(null=True, blank=True, help_text="Scheduled sending (C4)")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    outbound_email = models.ForeignKey(
        "notifications.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The outbox row that carries this link (cancelled if a newer link replaces it).",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Welcome link for {self.membership.delegate_number}"


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


class BulkUpload(models.Model):
    """U2/U5: an uploaded DelegatesBulkUpload workbook, kept (file and preview) from upload
    until it is committed or cancelled, so a preview survives a reload and big files can be
    validated and committed by a worker. The file is deleted once committed or cancelled."""

    class Status(models.TextChoices):
        VALIDATING = "validating", "Checking the file"
        REJECTED = "rejected", "File cannot be used"
        PREVIEW = "preview", "Ready to confirm"
        COMMITTING = "committing", "Saving the delegates"
        COMMITTED = "committed", "Saved"
        FAILED = "failed", "Not saved"
        CANCELLED = "cancelled", "Cancelled"

    class Welcome(models.TextChoices):
        NONE = "none", "Not yet"
        NOW = "now", "Now"
        LATER = "later", "On a date"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="bulk_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="bulk_uploads/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=250)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALIDATING)
    message = models.TextField(blank=True, help_text="Why the file or the commit failed, for the uploader.")
    rows = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text='[{"row": 7, "messages": ["..."], "name": "...", "email": "..."}]'
    )
    error_rows = models.PositiveIntegerField(default=0, help_text="len(errors), for lists that do not load them")
    people = models.JSONField(
        default=list,
        blank=True,
        help_text='Who is added or updated (centres.bulk.changes): [{"row", "kind", "name", "email", "changes"}]',
    )
    people_more = models.PositiveIntegerField(default=0, help_text="New and updated people not in `people`")
    welcome = models.CharField(max_length=5, choices=Welcome.choices, default=Welcome.NONE)
    welcome_send_after = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker started the current step")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life: queued, started or progress (see reporting.jobs)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Committed, cancelled or failed.")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.COMMITTING}


class Invitation(models.Model):
    """C2/P2: someone at the centre invited this email address to register (an educator adding
    an unregistered email to their staff list). A self-registration with an invited email is
    approved at once; the invitation is then accepted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Stored in lower case.")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at"]
        indexes = [models.Index(fields=["centre", "email"])]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.centre.code}"
