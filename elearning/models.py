"""Care-record eLearning and account management (seed 001; SCOPE E1-E4; ADR 0033).

Two kinds of data live here:
- **Learning** (E1), platform-wide: platform staff author `Module`s of ordered `Lesson`s with an
  optional knowledge check (`Question`s and a pass mark). A person's learning is theirs, not a
  site's: `ModuleProgress` (one per person and module), `LessonCompletion`,
  `KnowledgeCheckAttempt` and the `ElearningCertificate` hang off the user. An authoriser sees a
  person's progress only through that person's current `SiteStaff` record at one of their sites.
- **Sites** (E2-E4), tenant data (a site is a `centres.Centre`): `Invitation`s an authoriser
  sends, the `SiteStaff` record a person holds at a site once they accept (beside their
  `centres.Membership`, which lets them choose the site), and the `AccountRequest`s the central
  team (platform staff) works, with their `AccountRequestNote`s.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.models import BaseModel, TenantQuerySet


class JobCategory(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse or midwife"
    ALLIED_HEALTH = "allied_health", "Allied health professional"
    PHARMACY = "pharmacy", "Pharmacist or pharmacy technician"
    HEALTHCARE_SUPPORT = "healthcare_support", "Healthcare support worker"
    SOCIAL_CARE = "social_care", "Social care"
    ADMIN_CLERICAL = "admin_clerical", "Administrative and clerical"
    MANAGER = "manager", "Manager"
    OTHER = "other", "Other"


# ---------------------------------------------------------------------------------------------
# E1 learning (platform-wide)


class Module(BaseModel):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    is_required = models.BooleanField(default=True, help_text="Every required module completes the eLearning.")
    position = models.PositiveIntegerField(default=0, help_text="Order on the dashboard, smallest first.")
    is_published = models.BooleanField(default=False)
    # The knowledge check: the module completes only when an attempt scores at least this
    # percentage. It applies only when the module has questions.
    pass_mark_percent = models.PositiveSmallIntegerField(default=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class Lesson(BaseModel):
    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        TEXT = "text", "Text"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    video_url = models.URLField(blank=True)
    transcript = models.TextField(blank=True, help_text="Captions or transcript, shown beside the video.")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML (text lessons).")

    class Meta:
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Question(BaseModel):
    """One multiple-choice question of a module's knowledge check."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    choices = models.JSONField(default=list, help_text="The answers offered, in order (2 to 6).")
    correct_choice = models.PositiveSmallIntegerField(help_text="Index into choices of the right answer.")

    class Meta:
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.text


class ModuleProgress(BaseModel):
    """A person's way through one module. `completed_at` is the first completion and is never
    cleared: a retake (`retake_started_at`) walks the lessons again without undoing it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField()
    last_lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    retake_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="module_progress_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} - {self.module}"


class LessonCompletion(models.Model):
    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["progress", "lesson"], name="lesson_completed_once")]

    def __str__(self) -> str:
        return f"{self.lesson_id} completed {self.completed_at:%Y-%m-%d}"


class KnowledgeCheckAttempt(BaseModel):
    """Every attempt is kept. `answers` maps a question's public id to the chosen index."""

    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField(default=dict)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()

    class Meta:
        ordering = ["-created_at", "-id"]


class ElearningCertificate(BaseModel):
    """Issued once every required module is complete (reporting.certificates, kind 2)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="elearning_certificates")
    code = models.CharField(max_length=20, unique=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="elearning_one_valid_certificate"
            )
        ]


# ---------------------------------------------------------------------------------------------
# E2-E4 sites (tenant data: a site is a centres.Centre)


class Invitation(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a response"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    LIFETIME_DAYS = 30

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="elearning_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField("forename", max_length=150)
    last_name = models.CharField("surname", max_length=150)
    email = models.EmailField()
    contact_number = models.CharField(max_length=40)
    job_title = models.CharField(max_length=150)
    job_category = models.CharField(max_length=30, choices=JobCategory.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the link's secret.")
    sent_at = models.DateTimeField(help_text="When the invitation email was last sent.")
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "centre",
                Lower("email"),
                condition=Q(status="pending"),
                name="elearning_one_pending_invitation_per_email",
            )
        ]
        indexes = [models.Index(fields=["centre", "status", "created_at"], name="elearning_invitation_list")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}> at {self.centre_id}"


class SiteStaff(BaseModel):
    """A person's record as staff at a site (E3). History is kept: a deactivated or removed
    person stays, with the reason; "all historic memberships" lists them."""

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        DEACTIVATED = "deactivated", "Deactivated"
        REMOVED = "removed", "Removed"

    class DeactivationReason(models.TextChoices):
        SICK_LEAVE = "sick_leave", "Sick leave"
        MATERNITY_LEAVE = "maternity_leave", "Maternity leave"
        OTHER = "other", "Other"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="site_staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="site_staff")
    membership = models.OneToOneField("centres.Membership", on_delete=models.PROTECT, related_name="site_staff")
    invitation = models.ForeignKey(Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact_number = models.CharField(max_length=40, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    job_category = models.CharField(max_length=30, choices=JobCategory.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CURRENT)
    deactivation_reason = models.CharField(max_length=20, choices=DeactivationReason.choices, blank=True)
    status_detail = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["centre", "user"], name="site_staff_one_per_site")]
        indexes = [models.Index(fields=["centre", "status"], name="site_staff_by_status")]

    def __str__(self) -> str:
        return f"{self.user} at {self.centre_id} ({self.status})"


class AccountRequest(BaseModel):
    """E4: a change to a person's care-record account that the central team (platform staff)
    makes by hand, raised by an authoriser or by the platform itself."""

    class Kind(models.TextChoices):
        CREATE_ACCOUNT = "create_account", "Completed eLearning - create account"
        DEACTIVATE = "deactivate", "Deactivate"
        REINSTATE = "reinstate", "Reinstate"
        REMOVE = "remove", "Remove"
        EDIT_USER = "edit_user", "Edit user"
        NEW_ACCESS = "new_access", "New access at another site"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        REJECTED = "rejected", "Rejected"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="account_requests")
    site_staff = models.ForeignKey(SiteStaff, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # None when the platform raised it (completed eLearning).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deactivation_reason = models.CharField(max_length=20, choices=SiteStaff.DeactivationReason.choices, blank=True)
    detail = models.TextField(blank=True, help_text="What to change, e.g. the old and new email address.")
    rejection_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="account_request_queue"),
            models.Index(fields=["centre", "status"], name="account_request_by_site"),
            # The queue filtered to one site, oldest first (ADR 0037; benchmarks/elearning.py).
            models.Index(fields=["centre", "created_at", "id"], name="account_request_site_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.site_staff_id} ({self.status})"


class AccountRequestNote(BaseModel):
    """A note on a request: internal to the central team, or public (emailed to the requester;
    never a password)."""

    request = models.ForeignKey(AccountRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]


class InvitationReplacedLink(models.Model):
    """The secret of an invitation link that a resend replaced (ADR 0036): the old link then
    says a newer invitation was sent instead of "not valid". Reached only by the hash of a
    secret someone holds, never listed."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="replaced_links")
    token_hash = models.CharField(max_length=64, unique=True)
    replaced_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Replaced link of invitation {self.invitation_id}"
