"""Issue 16 item 4 on the DSR dashboard: referrals per month (last 12 months) and risk level by
organisation, drawn with the shared chart macro, in constant queries."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.roles import Role
from referrals.models import Referral, Risk
from referrals.selectors.dashboard import _month_starts, referrals_per_month
from referrals.tests.factories import ReferralFactory, register_build, register_person
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("referrals:dashboard")


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Trust")
    register_build(centres=[north, south])
    admin = register_person(centre=north, role=Role.DSR_ADMIN)
    return {"north": north, "south": south, "admin": admin}


def _referral(world, key, *, months_ago=0, **fields):
    made = ReferralFactory(centre=world[key], created_by=world["admin"], **fields)
    today = timezone.localdate()
    year, month = today.year, today.month - months_ago
    while month < 1:
        year, month = year - 1, month + 12
    Referral.objects.filter(pk=made.pk).update(created_at=timezone.make_aware(timezone.datetime(year, month, 15, 12)))
    return made


def grouped_rows(table: str) -> dict[str, list[str]]:
    """{row label: [the numbers of its cells]} of a grouped chart, as the page shows them."""
    body = table.split("<tbody", 1)[1]
    rows = {}
    for row in body.split("<tr")[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", re.sub(r'<span class="nhsuk-table__heading"[^>]*>[^<]*</span>', "", cell)).strip()
            for cell in row.split("</td>")[:-1]
        ]
        rows[html.unescape(cells[0].split(">", 1)[-1].strip())] = cells[1:]
    return rows


def _table(page, chart_id):
    return page.split(f'id="{chart_id}"', 1)[1].split("</table>", 1)[0]


def test_month_starts_cross_the_year():
    assert _month_starts(date(2026, 2, 20), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_referrals_per_month_and_risk_by_organisation_on_the_page(client, login_as, world):
    _referral(world, "north", risk=Risk.RED)
    _referral(world, "north", risk=Risk.RED, months_ago=1)
    _referral(world, "south", risk=Risk.GREEN, months_ago=1, archived_at=timezone.now())  # counted by month
    _referral(world, "south", risk=Risk.AMBER, months_ago=11)
    _referral(world, "south", risk=Risk.AMBER, months_ago=12)  # 13 months back: not shown
    login_as(world["admin"], world["north"])
    page = client.get(DASHBOARD).content.decode()
    months = {
        html.unescape(label): int(count)
        for label, count in re.findall(
            r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>(\d+)</td>', _table(page, "chart-month")
        )
    }
    today = timezone.localdate()
    starts = _month_starts(today, 12)
    assert list(months) == [f"{start:%B %Y}" for start in starts]
    assert months[f"{starts[-1]:%B %Y}"] == 1
    assert months[f"{starts[-2]:%B %Y}"] == 2
    assert months[f"{starts[0]:%B %Y}"] == 1
    assert sum(months.values()) == 4
    grouped = _table(page, "chart-risk-organisation")
    rows = grouped_rows(grouped)
    # Red, Amber, Green, Blue, Total: active records only, as the other charts.
    assert rows["North Trust"] == ["2", "0", "0", "0", "2"]
    assert rows["South Trust"] == ["0", "2", "0", "0", "2"]
    assert 'class="app-chart__bar app-chart__bar--small app-chart__bar--red app-width-100"' in grouped


def test_the_month_chart_is_one_query(world, django_assert_num_queries):
    from referrals.access import register_access_for_user

    access = register_access_for_user(user=world["admin"], centre=world["north"])
    for months_ago in range(5):
        _referral(world, "north", months_ago=months_ago)
    with django_assert_num_queries(1):
        per_month = referrals_per_month(access=access, today=timezone.localdate())
    assert [bar.count for bar in per_month] == [0] * 7 + [1] * 5
    assert max(bar.percent for bar in per_month) == 100
