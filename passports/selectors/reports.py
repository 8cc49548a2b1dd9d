"""Issue 16 item 4: the passport reports page's pictures. For each framework with current
enrolments at the centre: how many learners are enrolled, have started, have every required
proficiency confirmed, are signed off, and are overdue (complete-by passed, not signed off),
optionally for one job group. Aggregated in the database: one grouped query however many
learners, plus one for the job groups to filter by."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from centres.models import Centre
from passports.models import Enrolment, Result, ResultStatus
from reporting.charts import Bar, bars

MEASURES = [  # (key, label): the chart's rows, in order
    ("enrolled", "Enrolled"),
    ("started", "Started"),
    ("all_confirmed", "All required proficiencies confirmed"),
    ("signed_off", "Signed off"),
    ("overdue", "Overdue (complete-by date passed, not signed off)"),
]


@dataclass
class FrameworkChart:
    public_id: str
    name: str
    enrolled: int
    bars: list[Bar]


def _current(centre: Centre, job_group_id: int | None):
    enrolments = Enrolment.objects.for_centre(centre).filter(removed_at__isnull=True)
    if job_group_id is not None:
        enrolments = enrolments.filter(membership__job_group_id=job_group_id)
    return enrolments


def report_job_groups(*, centre: Centre) -> list[tuple[int, str]]:
    """(id, name) of the job groups of learners with a current enrolment at `centre`."""
    return list(
        _current(centre, None)
        .filter(membership__job_group__isnull=False)
        .values_list("membership__job_group_id", "membership__job_group__name")
        .order_by("membership__job_group__name")
        .distinct()
    )


def framework_charts(*, centre: Centre, today: date, job_group_id: int | None = None) -> list[FrameworkChart]:
    """One chart a framework (by name), each bar as wide as its share of those enrolled."""
    unconfirmed = (
        Result.objects.for_centre(centre)
        .filter(enrolment=OuterRef("pk"), proficiency__is_optional=False)
        .exclude(status=ResultStatus.CONFIRMED)
    )
    rows = (
        _current(centre, job_group_id)
        .annotate(unconfirmed=Exists(unconfirmed))
        .values("framework__public_id", "framework__name")
        .annotate(
            enrolled=Count("pk"),
            started=Count("pk", filter=Q(started_at__isnull=False)),
            all_confirmed=Count("pk", filter=Q(unconfirmed=False)),
            signed_off=Count("pk", filter=Q(signed_off_at__isnull=False)),
            overdue=Count("pk", filter=Q(complete_by__lt=today, signed_off_at__isnull=True)),
        )
        .order_by("framework__name")
    )
    return [
        FrameworkChart(
            public_id=str(row["framework__public_id"]),
            name=row["framework__name"],
            enrolled=row["enrolled"],
            bars=bars(
                [(label, row[key], "red" if key == "overdue" else "blue") for key, label in MEASURES],
                scale=row["enrolled"],
            ),
        )
        for row in rows
    ]
