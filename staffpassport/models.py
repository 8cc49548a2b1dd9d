"""Staff passport (issue 15, seed 002, SCOPE S1-S7, ADR 0038). A trust is a `centres.Centre`.

Platform-wide (seeded by migration 0002, the same for every trust):
- `CredentialCategory` and `Credential`: the catalogue of credentials a passport can hold.
- `StaffGroup`: the ESR staff groups.
- Default `CredentialsTemplate`s (`centre` is null): one per staff group and employment type.

Per trust (tenant rows, reached through the centre):
- `OrganisationContact` (S2), `TeamNotification` (S3), `AutoIssuanceSetting` (S4),
  `JobRole` (S6), custom `CredentialsTemplate`s (S5).
- `StaffMember` (a person's staff passport at the trust, from ESR) and their `StaffCredential`s
  (S7), each credential with its history (django-simple-history).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import BaseModel, TenantQuerySet
from staffpassport.vc.models import SigningKey  # noqa: F401  (S8 verifiable credentials, migration 0003)


class EmploymentType(models.TextChoices):
    """A staff member's employment type, as ESR gives it."""

    CURRENT = "current", "Current employee"
    NEW_STARTER = "new_starter", "New starter or temporary mover"


class TemplateEmploymentTypes(models.TextChoices):
    """Which employment types a credentials-required template applies to."""

    CURRENT = "current", "Current employees"
    NEW_STARTER = "new_starter", "New starters and temporary movers"
    BOTH = "both", "Current employees, new starters and temporary movers"

    @classmethod
    def covering(cls, employment_type: str) -> list[str]:
        """The template values that apply to a person of this employment type."""
        return [employment_type, cls.BOTH]


# ---------------------------------------------------------------------------------------------
# Platform-wide catalogue (S4) and ESR staff groups (S6)


class CredentialCategory(BaseModel):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "credential categories"

    def __str__(self) -> str:
        return self.name


class Credential(BaseModel):
    code = models.SlugField(max_length=60, unique=True, help_text="The code an ESR feed uses for it.")
    name = models.CharField(max_length=150, unique=True)
    category = models.ForeignKey(CredentialCategory, on_delete=models.PROTECT, related_name="credentials")
    position = models.PositiveIntegerField(default=0)
    validity_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long it stays valid after it is awarded; empty if it does not expire."
    )

    class Meta:
        ordering = ["category__position", "position", "name"]

    def __str__(self) -> str:
        return self.name


class StaffGroup(BaseModel):
    """An ESR staff group ("Nursing and Midwifery Registered", ...)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True, help_text="The name exactly as ESR spells it.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Trust settings (S2-S6)


class OrganisationContact(BaseModel):
    """S2: a named contact (an individual or a team) of the trust. One row per kind."""

    class Kind(models.TextChoices):
        SENIOR_RESPONSIBLE_OWNER = "senior_responsible_owner", "Senior responsible owner"
        PRIMARY_PORTAL_ADMINISTRATOR = "primary_portal_administrator", "Primary portal administrator"
        INFORMATION_GOVERNANCE_LEAD = "information_governance_lead", "Information governance lead"
        HR_TEAM = "hr_team", "HR team"
        OCCUPATIONAL_HEALTH_TEAM = "occupational_health_team", "Occupational health team"
        EDUCATION_TRAINING_TEAM = "education_training_team", "Education and training team"

    INDIVIDUAL_KINDS = (
        Kind.SENIOR_RESPONSIBLE_OWNER,
        Kind.PRIMARY_PORTAL_ADMINISTRATOR,
        Kind.INFORMATION_GOVERNANCE_LEAD,
    )

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_contacts")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "kind"], name="sp_contact_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.centre_id}"

    @property
    def is_individual(self) -> bool:
        return self.kind in self.INDIVIDUAL_KINDS


class Team(models.TextChoices):
    """The teams that can receive the weekly summary (S3/S7)."""

    HR = "hr", "HR"
    OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
    EDUCATION_TRAINING = "education_training", "Education and training"


class TeamNotification(BaseModel):
    """S3: where a team's weekly summary goes, and whether it is sent."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_team_notifications"
    )
    team = models.CharField(max_length=30, choices=Team.choices)
    email = models.EmailField(blank=True)
    send_emails = models.BooleanField(default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "team"], name="sp_team_notification_one_per_team")]

    def __str__(self) -> str:
        return f"{self.get_team_display()} notifications at {self.centre_id}"


class AutoIssuanceSetting(BaseModel):
    """S4: whether a credential that arrives from ESR is issued without a person. No row means
    the default, `AUTOMATIC_BY_DEFAULT` (ADR 0038)."""

    AUTOMATIC_BY_DEFAULT = True

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_auto_issuance")
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="+")
    automatic = models.BooleanField(default=AUTOMATIC_BY_DEFAULT)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "credential"], name="sp_auto_issuance_one_per_credential")
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} {'automatic' if self.automatic else 'manual'} at {self.centre_id}"


class JobRole(BaseModel):
    """S6: a job role the trust defines within an ESR staff group."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_job_roles")
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="job_roles")
    name = models.CharField(max_length=100)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["staff_group__position", Lower("name")]
        constraints = [
            models.UniqueConstraint("centre", "staff_group", Lower("name"), name="sp_job_role_name_unique_in_group")
        ]

    def __str__(self) -> str:
        return self.name


class CredentialsTemplate(BaseModel):
    """S5: the credentials a staff member must hold. A default template (`centre` null) exists
    for every staff group and employment type and cannot be deleted or renamed; a trust's
    custom template takes precedence (selectors/templates.py `template_for`)."""

    centre = models.ForeignKey(
        "centres.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staffpassport_templates",
        help_text="Empty for the platform's default templates.",
    )
    name = models.CharField(max_length=100)
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="templates")
    employment_types = models.CharField(max_length=20, choices=TemplateEmploymentTypes.choices)
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, null=True, blank=True, related_name="templates")
    credentials = models.ManyToManyField(Credential, blank=True, related_name="+")
    categories = models.ManyToManyField(
        CredentialCategory, blank=True, related_name="+", help_text="Every credential of these categories."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["staff_group__position", "employment_types", Lower("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_group", "employment_types"],
                condition=Q(centre__isnull=True),
                name="sp_template_one_default_per_group_type",
            ),
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | Q(job_role__isnull=True),
                name="sp_template_default_has_no_job_role",
            ),
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | ~Q(employment_types="both"),
                name="sp_template_default_one_type",
            ),
            # An exact duplicate custom template; overlaps ("both" beside "current") are refused
            # by the service under a lock.
            models.UniqueConstraint(
                fields=["centre", "staff_group", "employment_types", "job_role"],
                condition=Q(centre__isnull=False, job_role__isnull=False),
                name="sp_template_custom_unique_role",
            ),
            models.UniqueConstraint(
                fields=["centre", "staff_group", "employment_types"],
                condition=Q(centre__isnull=False, job_role__isnull=True),
                name="sp_template_custom_unique_no_role",
            ),
            models.UniqueConstraint(
                "centre", Lower("name"), condition=Q(centre__isnull=False), name="sp_template_custom_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["centre", "staff_group"], name="sp_template_by_group")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.centre_id is None


# ---------------------------------------------------------------------------------------------
# Staff passports and their credentials (S7)


class StaffMember(BaseModel):
    """A person's staff passport at a trust, kept up to date from the ESR feed."""

    class PassportStatus(models.TextChoices):
        AWAITING_CREDENTIALS = "awaiting_credentials", "Awaiting credentials"
        REVIEWED = "reviewed", "Reviewed"

    class ReviewOutcome(models.TextChoices):
        COMPLETED = "completed", "Credentials required completed"
        BYPASSED = "bypassed", "Credentials required bypassed"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_staff")
    esr_assignment_number = models.CharField(max_length=30)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="staff")
    job_role = models.ForeignKey(JobRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff")
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices)
    start_date = models.DateField(null=True, blank=True)
    passport_status = models.CharField(
        max_length=30, choices=PassportStatus.choices, default=PassportStatus.AWAITING_CREDENTIALS
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(blank=True, help_text="Why the checklist was bypassed, when it was.")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "esr_assignment_number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "esr_assignment_number"], name="sp_staff_assignment_unique"),
            models.CheckConstraint(
                condition=Q(passport_status="awaiting_credentials", review_outcome="")
                | Q(passport_status="reviewed", reviewed_at__isnull=False) & ~Q(review_outcome=""),
                name="sp_staff_review_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "passport_status", "last_name"], name="sp_staff_by_status"),
            models.Index(fields=["centre", "staff_group"], name="sp_staff_by_group"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.esr_assignment_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def valid_on(day: date) -> Q:
    """Credentials that have not expired by `day` (no expiry date, or one on or after it): the
    one rule for "Expired" (`StaffCredential.is_expired`) and for what counts as held."""
    return Q(expires_on__isnull=True) | Q(expires_on__gte=day)


class StaffCredential(BaseModel):
    """One credential of a staff member: one row per person and credential, changed in place as
    ESR sends new values (the history keeps every version: who, when, what)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for manual issue"
        ISSUED = "issued", "Issued"
        REJECTED = "rejected", "Rejected"
        REVOKED = "revoked", "Revoked"

    class Source(models.TextChoices):
        ESR = "esr", "ESR"
        MANUAL = "manual", "Added by the trust"

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="staffpassport_credentials")
    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="credentials")
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ESR)
    reference = models.CharField(max_length=100, blank=True, help_text="E.g. a DBS certificate or PIN number.")
    awarded_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    source_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="A hash of the values ESR last sent, so an unchanged row changes nothing."
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["staff_member", "credential__category__position", "credential__position"]
        constraints = [
            models.UniqueConstraint(fields=["staff_member", "credential"], name="sp_staff_credential_unique"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="sp_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_at__isnull=False), name="sp_issued_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "status", "created_at"], name="sp_credential_queue"),
            models.Index(fields=["centre", "expires_on"], name="sp_credential_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} of {self.staff_member_id} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.ISSUED and not self.expires_on_or_after(timezone.localdate())

    def expires_on_or_after(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day

    @property
    def status_text(self) -> str:
        """What people read: an issued credential past its expiry date says so."""
        return "Expired" if self.is_expired else self.get_status_display()

    @property
    def status_tag_class(self) -> str:
        if self.is_expired:
            return "nhsuk-tag--orange"
        return {
            "issued": "nhsuk-tag--green",
            "waiting": "nhsuk-tag--yellow",
            "rejected": "nhsuk-tag--red",
            "revoked": "nhsuk-tag--red",
        }[self.status]


# The ESR feed's upload jobs and the teams' weekly-summary records (sp-esr, migration 0004).
from staffpassport.models_esr import EsrImport, TeamWeeklySummary  # noqa: E402, F401
