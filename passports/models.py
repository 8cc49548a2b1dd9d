"""Proficiency passports (P1-P11): frameworks and their versions, enrolments, results,
supervisors, confirmation requests, sign-offs and certificates.

Frameworks belong to the platform (platform staff import them); everything a learner does
belongs to the centre of their enrolment and carries that `centre` (DESIGN.md tenancy rule).
A learner's record points at one `FrameworkVersion`: publishing a new version never changes
an enrolled learner's proficiencies. `Proficiency.key` is the same across versions of one
framework, so results can be matched between versions and between centres (P11).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TenantQuerySet


class Framework(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=250, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    prerequisites_html = models.TextField(blank=True, help_text="Sanitised HTML shown before a learner starts.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_number_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="draft"), name="framework_one_draft_version"
            ),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status="published"), name="framework_one_published_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} (version {self.number})"


class Section(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=250)

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="section_position_unique")]

    def __str__(self) -> str:
        return self.name


class Proficiency(models.Model):
    key = models.UUIDField(default=uuid.uuid4, help_text="The same proficiency across versions of a framework.")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="proficiencies")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="proficiencies")
    position = models.PositiveIntegerField(help_text="Order within the whole version (1, 2, 3 ...).")
    name = models.CharField(max_length=500)
    description_html = models.TextField(blank=True, help_text="Sanitised HTML.")
    is_optional = models.BooleanField(default=False)
    is_supernumerary = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name_plural = "proficiencies"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="proficiency_position_unique"),
            models.UniqueConstraint(fields=["version", "key"], name="proficiency_key_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffListEntry(models.Model):
    """P2: a person on an educator's staff list. `membership` is empty until an invited email
    registers at the centre ("Not registered")."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="staff_list_entries")
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_list")
    email = models.EmailField()
    membership = models.ForeignKey(
        "centres.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="staff_list_entries"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "educator", "email"], name="staff_list_email_unique"),
        ]

    def __str__(self) -> str:
        return self.email


class Enrolment(models.Model):
    """P3: a learner (their delegate record at the centre) on one framework version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="enrolments")
    membership = models.ForeignKey("centres.Membership", on_delete=models.PROTECT, related_name="enrolments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    complete_by = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="The learner's first self-assessment.")
    last_active_at = models.DateTimeField(null=True, blank=True)
    # Set by sign-off (P8); while set, the learner's answers are locked.
    signed_off_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "framework"],
                condition=Q(removed_at__isnull=True),
                name="enrolment_one_current_per_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} on {self.version}"

    @property
    def is_locked(self) -> bool:
        return self.signed_off_at is not None


class Supervisor(models.Model):
    """P5: someone the learner may ask to confirm results (an educator or assessor at the centre)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervising")
    is_enrolling_educator = models.BooleanField(default=False, help_text="Cannot be removed.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "user"], name="supervisor_once_per_enrolment")]

    def __str__(self) -> str:
        return f"{self.user} supervising {self.enrolment}"


class ResultStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Requires self-assessment"
    SELF_ASSESSED = "self_assessed", "Self-assessed"
    REQUESTED = "requested", "Confirmation requested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Result(models.Model):
    """P4/P7: one learner's answer to one proficiency, and its confirmation. Every change is
    kept by simple-history (who, when, what)."""

    class Answer(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ONGOING = "ongoing", "Ongoing"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="results")
    proficiency = models.ForeignKey(Proficiency, on_delete=models.PROTECT, related_name="results")
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    action_plan = models.TextField(blank=True, help_text="The learner's own note.")
    assessed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=ResultStatus.choices, default=ResultStatus.NOT_ASSESSED)
    # Confirmation (or rejection) by a supervisor.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer_comment = models.TextField(
        blank=True, help_text="A comment when confirming; the action plan when rejecting."
    )
    # P11: a confirmation carried from the learner's enrolment at another centre.
    confirmed_at_centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "proficiency__position"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "proficiency"], name="result_once_per_proficiency"),
        ]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self) -> str:
        return f"{self.proficiency} ({self.get_status_display()})"


class ConfirmationRequest(models.Model):
    """P6: a learner asks one supervisor to confirm some Achieved results."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="confirmation_requests")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(help_text="The supervisor was last emailed; resend waits an hour.")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["supervisor", "status"])]

    def __str__(self) -> str:
        return f"Confirmation request to {self.supervisor} ({self.get_status_display()})"


class ConfirmationItem(models.Model):
    """One result in a confirmation request. At most one open item per result."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(ConfirmationRequest, on_delete=models.CASCADE, related_name="items")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="confirmation_items")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["result"], condition=Q(outcome="pending"), name="confirmation_one_pending_item_per_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} ({self.get_outcome_display()})"


class SignOff(models.Model):
    """P8: a request to sign off a passport, and what became of it. All rows of an enrolment
    are its sign-off history."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Sign-off requested"
        SIGNED_OFF = "signed_off", "Signed off"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REOPENED = "reopened", "Reopened"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="sign_offs")
    educator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    learner_comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    educator_comment = models.TextField(blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status="requested"), name="signoff_one_open_request"
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-off of {self.enrolment} ({self.get_status_display()})"


class Certificate(models.Model):
    """P9: issued at sign-off; anyone with the code can check it. Revoked when reopened."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="certificates")
    sign_off = models.OneToOneField(SignOff, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=20, unique=True, help_text="Verification code, e.g. 7KQ4-M2XD-9PRT")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code
