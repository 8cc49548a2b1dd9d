"""S7 weekly team summaries (ADR 0039): a `notifications` summary audience. Each team whose
notifications are on (S3 `TeamNotification`) gets one email a week at its address, counting
what waits for it at the trust; none when nothing waits. `TeamWeeklySummary` (one per trust,
team and ISO week) makes a re-run send nothing twice.

Which credentials are a team's: occupational health has "Occupational health and
immunisations"; education and training has statutory and mandatory training and
qualifications; HR has every other category (identity, right to work, DBS, registration,
employment history). A person counts for a team when a credential their template requires
from the team's categories is not issued yet."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from centres.models import Centre
from notifications.registry import SummaryAudience, SummaryEntry, SummaryRecipient
from staffpassport.models import (
    Credential,
    EmploymentType,
    StaffCredential,
    StaffMember,
    Team,
    TeamNotification,
    TeamWeeklySummary,
)
from staffpassport.selectors.progress import TemplateBook, issued_credential_ids
from staffpassport.selectors.staff import credentials_expiring

EXPIRING_WITHIN_DAYS = 30
TEAM_CATEGORIES = {
    Team.OCCUPATIONAL_HEALTH: {"occupational-health"},
    Team.EDUCATION_TRAINING: {"statutory-mandatory-training", "qualifications"},
}
CHUNK = 2000


def team_credential_ids(team: str) -> set[int]:
    """The credentials a team looks after (HR: every category the others do not have)."""
    if team in TEAM_CATEGORIES:
        query = Q(category__code__in=TEAM_CATEGORIES[team])
    else:
        query = ~Q(category__code__in=set().union(*TEAM_CATEGORIES.values()))
    return set(Credential.objects.filter(query).values_list("pk", flat=True))


def team_counts(*, centre, team: str) -> dict[str, int]:
    """What waits for a team at a trust: credentials waiting for manual issue, issued ones
    expiring within 30 days, staff awaiting credentials with a required one of the team's
    missing, and the new starters among them."""
    ids = team_credential_ids(team)
    credentials = StaffCredential.objects.for_centre(centre).filter(credential_id__in=ids)
    counts = {
        "waiting": credentials.filter(status=StaffCredential.Status.WAITING).count(),
        "expiring": credentials_expiring(centre=centre, within_days=EXPIRING_WITHIN_DAYS, credential_ids=ids).count(),
        "incomplete": 0,
        "new_starters": 0,
    }
    book = TemplateBook(centre)
    awaiting = (
        StaffMember.objects.for_centre(centre)
        .filter(passport_status=StaffMember.PassportStatus.AWAITING_CREDENTIALS)
        .only("pk", "staff_group_id", "job_role_id", "employment_type")
        .order_by("pk")
    )
    last = 0
    while chunk := list(awaiting.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        held = issued_credential_ids(centre=centre, staff_ids=[member.pk for member in chunk])
        for member in chunk:
            _, required = book.required_for(member)
            if (required & ids) - held[member.pk]:
                counts["incomplete"] += 1
                counts["new_starters"] += member.employment_type == EmploymentType.NEW_STARTER
    return counts


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def team_entries(*, recipient: SummaryRecipient) -> list[SummaryEntry]:
    counts = team_counts(centre=recipient.centre, team=recipient.key)
    entries = []
    if counts["waiting"]:
        entries.append(
            SummaryEntry(
                text=f"{_plural(counts['waiting'], 'credential', 'credentials')} waiting for manual issue",
                path=reverse("staffpassport:credentials_waiting"),
            )
        )
    if counts["expiring"]:
        entries.append(
            SummaryEntry(
                text=f"{_plural(counts['expiring'], 'credential', 'credentials')} expiring in the next "
                f"{EXPIRING_WITHIN_DAYS} days",
                # Staff awaiting credentials and reviewed alike: the list of the credentials.
                path=f"{reverse('staffpassport:credentials_expiring')}?team={recipient.key}",
            )
        )
    if counts["incomplete"]:
        entries.append(
            SummaryEntry(
                text=f"{_plural(counts['incomplete'], 'staff member', 'staff members')} whose required "
                "credentials are incomplete",
                path=reverse("staffpassport:staff_awaiting"),
                details=[f"{_plural(counts['new_starters'], 'is a new starter', 'are new starters')} among them"]
                if counts["new_starters"]
                else [],
            )
        )
    return entries


def team_summary_centre_ids() -> list[int]:
    return sorted(
        TeamNotification.objects.filter(send_emails=True, centre__is_active=True)
        .exclude(email="")
        .values_list("centre_id", flat=True)
        .distinct()
    )


def team_summary_recipients(*, centre_id: int) -> list[SummaryRecipient]:
    centre = Centre.objects.filter(pk=centre_id, is_active=True).first()
    if centre is None:
        return []
    settings = TeamNotification.objects.for_centre(centre).filter(send_emails=True).exclude(email="").order_by("team")
    return [
        SummaryRecipient(centre=centre, key=setting.team, address=setting.email, label=setting.get_team_display())
        for setting in settings
    ]


def team_summary_claim(*, recipient: SummaryRecipient, iso_year: int, iso_week: int) -> TeamWeeklySummary | None:
    summary, created = TeamWeeklySummary.objects.get_or_create(
        centre=recipient.centre, team=recipient.key, iso_year=iso_year, iso_week=iso_week
    )
    return summary if created else None


TEAM_SUMMARIES = SummaryAudience(
    code="staffpassport.teams",
    centre_ids=team_summary_centre_ids,
    recipients=team_summary_recipients,
    entries=team_entries,
    claim=team_summary_claim,
    template="staffpassport/emails/team_summary",
)
