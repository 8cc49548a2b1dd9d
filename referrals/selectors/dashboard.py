"""R9: the dashboard's figures, from the person's reportable referrals (active only: archived
records are never counted). One grouped count query whatever the number of referrals; the
referrals per month another. Drawn with the shared chart macro (reporting.charts)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from centres.models import Centre
from referrals.access import RegisterAccess
from referrals.ages import born_on_or_before_for_age
from referrals.models import Risk
from reporting.charts import Bar, bars, grouped_bars

ADULT_AGE = 18


@dataclass
class DashboardFigures:
    total: int
    by_risk: list[Bar]
    by_age: list[Bar]
    by_organisation: list[Bar]
    risk_by_organisation: list[Bar]  # grouped: a part per risk level


def dashboard_figures(*, access: RegisterAccess, today: date, organisation: Centre | None = None) -> DashboardFigures:
    """Totals by risk and by age (worked out from the date of birth for `today`), and a count
    for every permitted organisation, zero ones included. `organisation` narrows everything to
    one permitted organisation (the view has checked it is permitted)."""
    referrals = access.reportable_referrals().active().order_by()
    organisations = access.organisations
    if organisation is not None:
        referrals = referrals.filter(centre=organisation)
        organisations = [organisation]
    adults_born_by = born_on_or_before_for_age(ADULT_AGE, today)
    # One grouped query (at most organisations x risk levels rows); the totals are its sums.
    groups = (
        referrals.values("centre_id", "risk")
        .annotate(count=Count("pk"), adults=Count("pk", filter=Q(date_of_birth__lte=adults_born_by)))
        .values_list("centre_id", "risk", "count", "adults")
    )
    per_organisation: dict[int, int] = {}
    per_risk: dict[str, int] = {}
    per_pair: dict[tuple[int, str], int] = {}
    total = adults = 0
    for centre_id, risk, count, group_adults in groups:
        per_organisation[centre_id] = per_organisation.get(centre_id, 0) + count
        per_pair[centre_id, risk] = count
        per_risk[risk] = per_risk.get(risk, 0) + count
        total += count
        adults += group_adults
    return DashboardFigures(
        total=total,
        by_risk=bars([(risk.label, per_risk.get(risk.value, 0), risk.value) for risk in Risk]),
        by_age=bars([("Under 18", total - adults, "under_18"), ("18 and over", adults, "18_plus")]),
        by_organisation=bars(
            [(centre.name, per_organisation.get(centre.pk, 0), str(centre.public_id)) for centre in organisations]
        ),
        risk_by_organisation=grouped_bars(
            [
                (centre.name, [(risk.label, per_pair.get((centre.pk, risk.value), 0), risk.value) for risk in Risk])
                for centre in organisations
            ]
        ),
    )


def _month_starts(today: date, months: int) -> list[date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def referrals_per_month(
    *, access: RegisterAccess, today: date, organisation: Centre | None = None, months: int = 12
) -> list[Bar]:
    """New referrals in each of the last `months` months (this one included), archived ones
    too (they were referred then), every month shown, empty ones as 0: one grouped query."""
    starts = _month_starts(today, months)
    referrals = access.reportable_referrals().order_by()
    if organisation is not None:
        referrals = referrals.filter(centre=organisation)
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1), zone)
    counts = {
        month.date() if hasattr(month, "date") else month: count
        for month, count in referrals.filter(created_at__gte=first)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    }
    return bars([(f"{start:%B %Y}", counts.get(start, 0), f"{start:%Y-%m}") for start in starts])
