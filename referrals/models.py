"""The dynamic support register (seed 004, SCOPE R1-R11).

A `Register` (platform data) groups member organisations (centres) that share one DSR. A
`Referral` belongs to its referring organisation (`centre`, the tenant) and to the register.
Who may see which referrals is decided in `referrals.access`, never in views.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from centres.models import Centre
from core.models import TenantQuerySet
from referrals.ages import age_on, born_after_for_age_below, born_on_or_before_for_age


class Register(models.Model):
    """One DSR shared by the organisations of an integrated care system. Created by platform
    staff (Django admin); its form and notifications are configured by its administrators."""

    class EmailDetail(models.TextChoices):
        REFERENCE = "reference", "A link and the reference only"
        NAME = "name", "A link, the reference and the person's name"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, help_text='e.g. "Staffordshire and Stoke-on-Trent DSR"')
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in the public sign-up address")
    introduction = models.TextField(blank=True, help_text="Shown on the register's home and sign-up pages")
    support_email = models.EmailField(blank=True, help_text="Who people outside the allowed domains should email")
    localities = models.JSONField(default=list, blank=True, help_text="The localities a referral can be in")
    # R3: the form, configured by the register's administrators.
    form_name = models.CharField(max_length=120, default="New referral")
    form_guidance = models.TextField(blank=True)
    consent_link = models.URLField(blank=True, help_text="Where the consent form is (hosted here or elsewhere)")
    consent_guidance = models.TextField(blank=True)
    refuse_without_consent = models.BooleanField(
        default=True,
        help_text="Refuse a referral when the person has capacity but has not consented, or lacks capacity "
        "and no best-interest decision has been made",
    )
    # R4: who is told about a new referral.
    team_inbox = models.EmailField(blank=True)
    notify_team_inbox = models.BooleanField(default=True)
    notify_submitter = models.BooleanField(default=False)
    notify_administrators = models.BooleanField(default=False)
    notify_other_addresses = models.JSONField(default=list, blank=True)
    email_detail = models.CharField(max_length=10, choices=EmailDetail.choices, default=EmailDetail.REFERENCE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegisterOrganisation(models.Model):
    """A centre's place in a register. A centre belongs to at most one register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="organisations")
    centre = models.OneToOneField(Centre, on_delete=models.CASCADE, related_name="register_organisation")
    email_domains = models.JSONField(
        default=list,
        blank=True,
        help_text='Lower-case domains (e.g. ["mpft.nhs.uk"]): people with these emails get a referrer account at once',
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["centre__name"]

    def __str__(self) -> str:
        return f"{self.centre.name} in {self.register.name}"


class AccessLimit(models.Model):
    """R2: an administrator or reporting user limited to some organisations. A person with no
    limit rows in a register sees every organisation of it; with rows, only those (`centre`)."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="access_limits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "user", "centre"], name="one_limit_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user} limited to {self.centre.code}"


class ExtraQuestion(models.Model):
    """R3: a question the register's administrators add to the referral form. Answers are
    stored with the referral (`Referral.extra_answers`, keyed by the question's public id).
    A question that is no longer asked is retired, not deleted, so old answers keep their text."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        YES_NO_DONT_KNOW = "yes_no", "Yes, no or don't know"
        CHOICE = "choice", "Choose one from a list"
        DATE = "date", "Date"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="extra_questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=250)
    hint = models.CharField(max_length=250, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    options = models.JSONField(default=list, blank=True, help_text="The answers to choose from (choice only)")
    is_mandatory = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["register", "position", "created_at"]

    def __str__(self) -> str:
        return self.text


class Condition(models.TextChoices):
    LEARNING_DISABILITY = "ld", "Learning disability"
    AUTISM = "autism", "Autism"
    BOTH = "both", "Learning disability and autism"


class YesNoDontKnow(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"


class Risk(models.TextChoices):
    """R3: the DSD Clinical Support Tool's levels, in the order the register shows them."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"


RISK_HELP = {
    Risk.RED: "The lead professional has assessed the person as at significant high risk and a crisis is "
    "imminent, with an inpatient admission highly likely, or a planned admission to hospital is being discussed.",
    Risk.AMBER: "The person is at risk of admission without additional support: the risk is increasing and "
    "needs multi-agency support and regular review.",
    Risk.GREEN: "The person has needs that could lead to admission if not supported, but the current support "
    "is meeting them and the risk is stable.",
    Risk.BLUE: "The person is in hospital (an inpatient) and is on the register to support a timely discharge.",
}


class Ethnicity(models.TextChoices):
    """NHS Data Dictionary ethnic category (2001 census categories), as the national data sets use."""

    WHITE_BRITISH = "A", "White - British"
    WHITE_IRISH = "B", "White - Irish"
    WHITE_OTHER = "C", "White - Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed - White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed - White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed - White and Asian"
    MIXED_OTHER = "G", "Mixed - Any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British - Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British - Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British - Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British - Any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British - Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British - African"
    BLACK_OTHER = "P", "Black or Black British - Any other Black background"
    CHINESE = "R", "Other ethnic groups - Chinese"
    OTHER = "S", "Other ethnic groups - Any other ethnic group"
    NOT_STATED = "Z", "Not stated"


class ReferralQuerySet(TenantQuerySet):
    def for_centres(self, centres):
        """Referrals of several organisations of one register (a reporting user or administrator)."""
        return self.filter(centre__in=centres)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def born_between(self, *, youngest_age: int | None = None, oldest_age: int | None = None, today: date):
        """People aged `youngest_age` to `oldest_age` (inclusive) today, as a date-of-birth range,
        so the database can use the index and age is never stored."""

        queryset = self
        if youngest_age is not None:
            queryset = queryset.filter(date_of_birth__lte=born_on_or_before_for_age(youngest_age, today))
        if oldest_age is not None:
            queryset = queryset.filter(date_of_birth__gt=born_after_for_age_below(oldest_age + 1, today))
        return queryset


class Referral(models.Model):
    """R3: a person on the register. Every change is kept by simple-history (R6)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=12, unique=True, help_text="Quoted in emails instead of the name")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="referrals")
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="referrals", help_text="The referring organisation"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Consent: capacity yes -> consent given; capacity no -> best-interest decision made.
    has_capacity = models.BooleanField("has capacity to consent")
    consent_given = models.BooleanField(null=True, blank=True)
    best_interest_decision = models.BooleanField("best-interest decision made", null=True, blank=True)
    best_interest_detail = models.TextField(blank=True, help_text="Who made the decision, and when")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nhs_number = models.CharField("NHS number", max_length=10, help_text="10 digits, no spaces")
    condition = models.CharField("learning disability and/or autism", max_length=10, choices=Condition.choices)
    ethnicity = models.CharField(max_length=1, choices=Ethnicity.choices)
    locality = models.CharField(max_length=100)
    criminal_justice = models.CharField("history with criminal justice", max_length=10, choices=YesNoDontKnow.choices)
    risk = models.CharField("risk level", max_length=5, choices=Risk.choices)
    latest_update = models.TextField("latest update for the DSR meeting", blank=True)
    extra_answers = models.JSONField(default=dict, blank=True, help_text="{question public id: answer}")
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["register", "archived_at", "centre"]),
            models.Index(fields=["centre", "created_by"]),
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["date_of_birth"]),
            # The list's sorts of active referrals, walked in order for keyset pages (ADR 0022).
            *(
                models.Index(
                    fields=["register", *columns, "id"],
                    condition=Q(archived_at__isnull=True),
                    name=f"referral_active_{key}",
                )
                for key, columns in (
                    ("updated", ["updated_at"]),
                    ("created", ["created_at"]),
                    ("name", ["last_name", "first_name"]),
                    ("locality", ["locality"]),
                )
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(nhs_number__regex=r"^[0-9]{10}$"), name="referral_nhs_number_10_digits"),
            # R3: one active referral per person in a register, also when two people submit
            # the same person at the same moment (the service checks first, for the message).
            models.UniqueConstraint(
                fields=["register", "nhs_number"],
                condition=Q(archived_at__isnull=True),
                name="referral_one_active_per_nhs_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.reference}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, today: date) -> int:

        return age_on(self.date_of_birth, today)


class ReferralNote(models.Model):
    """R6: a note on a referral (Notes tab). Notes are added, never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note on {self.referral.reference}"


class Outcome(models.Model):
    """R7/R8: one recorded outcome. The Outcomes tab lists them newest first (the history);
    the one with `archived=True` is the Save & Archive that closed the record."""

    class Result(models.TextChoices):
        REMAIN_IN_COMMUNITY = "community", "Remain in the community with the current support"
        COMMUNITY_PLAN = "plan", "Remain in the community with an updated support plan"
        ADMISSION_AVOIDED = "avoided", "Admission avoided with additional support"
        ADMITTED = "admitted", "Admitted to hospital"
        DISCHARGE_PLANNED = "discharge", "Discharge from hospital planned"
        OTHER = "other", "Other (see notes)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="outcomes")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cetr_requested = models.BooleanField("C(E)TR requested")
    laep_requested = models.BooleanField("LAEP requested")
    meeting_happened = models.BooleanField(null=True, blank=True, help_text="Asked when either was requested")
    why_not_happened = models.TextField(blank=True)
    result = models.CharField("outcome", max_length=10, choices=Result.choices, blank=True)
    notes = models.TextField(blank=True)
    summary_for_next_meeting = models.TextField(blank=True)
    plan_from_meeting = models.TextField(blank=True)
    archived = models.BooleanField(default=False, help_text="This outcome archived the record")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Outcome on {self.referral.reference}"
