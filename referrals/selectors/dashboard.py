"""R9: the dashboard's figures, from the person's reportable referrals (active only: archived
records are never counted). One grouped count query whatever the number of referrals."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from centres.models import Centre
from referrals.access import RegisterAccess
from referrals.ages import born_on_or_before_for_age
from referrals.models import Risk

ADULT_AGE = 18


@dataclass
class Bar:
    label: str
    count: int
    percent: int  # of the largest bar in its chart, for the bar's width
    key: str = ""


@dataclass
class DashboardFigures:
    total: int
    by_risk: list[Bar]
    by_age: list[Bar]
    by_organisation: list[Bar]


def _bars(pairs: list[tuple[str, int, str]]) -> list[Bar]:
    largest = max((count for _, count, _ in pairs), default=0)
    return [
        Bar(label=label, count=count, key=key, percent=round(count * 100 / largest) if largest else 0)
        for label, count, key in pairs
    ]


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
    total = adults = 0
    for centre_id, risk, count, group_adults in groups:
        per_organisation[centre_id] = per_organisation.get(centre_id, 0) + count
        per_risk[risk] = per_risk.get(risk, 0) + count
        total += count
        adults += group_adults
    return DashboardFigures(
        total=total,
        by_risk=_bars([(risk.label, per_risk.get(risk.value, 0), risk.value) for risk in Risk]),
        by_age=_bars([("Under 18", total - adults, "under_18"), ("18 and over", adults, "18_plus")]),
        by_organisation=_bars(
            [(centre.name, per_organisation.get(centre.pk, 0), str(centre.public_id)) for centre in organisations]
        ),
    )
