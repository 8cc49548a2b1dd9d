"""R9 dashboard and R10 report requests: who may see them, the figures (active records only,
ages for today, every permitted organisation), the organisation filter and tampering."""

import html
import re
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import AuditEvent
from centres.roles import Role
from referrals.models import Risk
from referrals.selectors.dashboard import dashboard_figures
from referrals.tests.factories import ReferralFactory, register_build, register_person
from reporting.models import ReportJob
from tests.factories import CentreFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("referrals:dashboard")
REPORT_CREATE = reverse("referrals:report_create")


@pytest.fixture
def world():
    north, south, west = (
        CentreFactory(name="North Trust"),
        CentreFactory(name="South Trust"),
        CentreFactory(name="West Trust"),
    )
    register = register_build(centres=[north, south, west])
    other_centre = CentreFactory(name="Elsewhere Trust")
    register_build(name="Other DSR", centres=[other_centre])
    admin = register_person(centre=north, role=Role.DSR_ADMIN)
    return {
        "register": register,
        "north": north,
        "south": south,
        "west": west,
        "other_centre": other_centre,
        "admin": admin,
        "reporter": register_person(centre=north, role=Role.DSR_REPORTING),
        "referrer": register_person(centre=north, role=Role.REFERRER),
        "limited": register_person(centre=north, role=Role.DSR_REPORTING, limited_to=[north, south]),
        "other_admin": register_person(centre=other_centre, role=Role.DSR_ADMIN),
    }


def referral(world, centre_key="north", **fields):
    return ReferralFactory(centre=world[centre_key], created_by=world["admin"], **fields)


def years_ago(years: int, today: date) -> date:
    return today.replace(year=today.year - years)


ROW = re.compile(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>(\d+)</td>')


def figures_of(response):
    """The figures as the page shows them (the tables that carry the charts)."""
    page = response.content.decode()

    def chart(chart_id):
        table = page.split(f'id="{chart_id}"', 1)[1].split("</table>", 1)[0]
        return {html.unescape(label): int(count) for label, count in ROW.findall(table)}

    total = re.search(r'app-dashboard-total__number">(\d+)<', page)
    return {
        "total": int(total.group(1)),
        "risk": chart("chart-risk"),
        "age": chart("chart-age"),
        "organisation": chart("chart-organisation"),
    }


@pytest.mark.parametrize("role_key", ["admin", "reporter"])
def test_reporting_roles_see_the_dashboard(client, login_as, world, role_key):
    login_as(world[role_key], world["north"])
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Report / data download" in response.content.decode()


def test_referrers_platform_staff_and_strangers_do_not(client, login_as, world):
    login_as(world["referrer"], world["north"])
    assert client.get(DASHBOARD).status_code == 403
    assert client.post(REPORT_CREATE, {"report_type": "dsr_referrals"}).status_code == 403
    staff = register_person(centre=world["north"], role=Role.DSR_ADMIN, user__is_staff=True)
    login_as(staff, world["north"])
    assert client.get(DASHBOARD).status_code == 403
    client.logout()
    assert client.get(DASHBOARD).status_code == 302
    assert not ReportJob.objects.exists()


def test_figures_count_active_records_by_risk_age_and_every_organisation(client, login_as, world):
    today = timezone.localdate()
    referral(world, risk=Risk.RED, date_of_birth=years_ago(30, today))
    referral(world, risk=Risk.RED, date_of_birth=years_ago(18, today))  # 18 today: an adult
    referral(world, risk=Risk.BLUE, date_of_birth=years_ago(18, today) + timedelta(days=1))  # 17
    referral(world, "south", risk=Risk.GREEN, date_of_birth=years_ago(10, today))
    referral(world, "south", risk=Risk.RED, archived_at=timezone.now())  # archived: never counted
    referral(world, "other_centre", risk=Risk.RED)  # another register
    login_as(world["reporter"], world["north"])
    figures = figures_of(client.get(DASHBOARD))
    assert figures == {
        "total": 4,
        "risk": {"Red": 2, "Amber": 0, "Green": 1, "Blue": 1},
        "age": {"Under 18": 2, "18 and over": 2},
        "organisation": {"North Trust": 3, "South Trust": 1, "West Trust": 0},
    }


def test_the_page_shows_numbers_beside_the_bars(client, login_as, world):
    referral(world, risk=Risk.RED)
    login_as(world["reporter"], world["north"])
    page = client.get(DASHBOARD).content.decode()
    assert '<th scope="row" class="nhsuk-table__header app-chart__label">Red</th>' in page
    assert '<th scope="row" class="nhsuk-table__header app-chart__label">West Trust</th>' in page
    assert 'aria-hidden="true" class="app-chart__bar app-chart__bar--red app-width-100"' in page


def test_filter_by_organisation(client, login_as, world):
    referral(world, risk=Risk.RED)
    referral(world, "south", risk=Risk.GREEN)
    login_as(world["admin"], world["north"])
    response = client.get(DASHBOARD, {"organisation": str(world["south"].public_id)})
    assert figures_of(response) == {
        "total": 1,
        "risk": {"Red": 0, "Amber": 0, "Green": 1, "Blue": 0},
        "age": {"Under 18": 0, "18 and over": 1},
        "organisation": {"South Trust": 1},
    }
    assert "<h2>South Trust</h2>" in response.content.decode()


def test_a_limited_reporter_sees_only_their_organisations(client, login_as, world):
    referral(world, risk=Risk.RED)
    referral(world, "west", risk=Risk.RED)
    login_as(world["limited"], world["north"])
    figures = figures_of(client.get(DASHBOARD))
    assert figures["total"] == 1
    assert figures["organisation"] == {"North Trust": 1, "South Trust": 0}


@pytest.mark.parametrize("target", ["west", "other_centre", "random", "junk"])
def test_an_organisation_not_permitted_is_refused_and_audited(client, login_as, world, target):
    referral(world, "west", risk=Risk.RED)
    referral(world, "other_centre", risk=Risk.RED)
    value = {"random": str(uuid.uuid4()), "junk": "'; drop table--"}.get(target) or str(world[target].public_id)
    login_as(world["limited"], world["north"])
    response = client.get(DASHBOARD, {"organisation": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "You cannot report on that organisation. Choose one from the list." in page
    figures = figures_of(response)
    assert figures["total"] == 0  # the figures are the person's own organisations, none of the target's
    assert set(figures["organisation"]) == {"North Trust", "South Trust"}
    assert "West Trust" not in page
    assert "Elsewhere Trust" not in page
    assert AuditEvent.objects.filter(action="referral.refused", actor=world["limited"]).count() == 1


def test_dashboard_queries_do_not_grow_with_referrals(client, login_as, world, django_assert_num_queries):
    login_as(world["admin"], world["north"])
    for key in ("north", "south"):
        referral(world, key)
    client.get(DASHBOARD)  # warm up the session
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD)
    for index in range(48):
        referral(world, ("north", "south", "west")[index % 3], risk=list(Risk)[index % 4])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(DASHBOARD)
    assert figures_of(response)["total"] == 50


def test_figures_take_one_grouped_query(world, django_assert_num_queries):
    from referrals.access import register_access_for_user

    access = register_access_for_user(user=world["admin"], centre=world["north"])
    referral(world)
    with django_assert_num_queries(1):
        figures = dashboard_figures(access=access, today=timezone.localdate())
    assert figures.total == 1


# R10: asking for a report.


def test_a_report_is_queued_audited_and_shown_on_its_progress_page(client, login_as, world):
    login_as(world["reporter"], world["north"])
    response = client.post(
        REPORT_CREATE,
        {
            "report_type": "dsr_referrals_outcomes",
            "organisation": str(world["south"].public_id),
            "age": "18_to_25",
            "risk": "red",
            "locality": "South Staffordshire",
        },
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    assert (job.kind, job.centre, job.requested_by) == ("dsr_referrals_outcomes", world["north"], world["reporter"])
    assert job.params == {
        "organisation": str(world["south"].public_id),
        "age": "18_to_25",
        "risk": "red",
        "locality": "South Staffordshire",
    }
    assert job.title == "Referral and outcome data (South Trust, 18 to 25, Red risk, South Staffordshire)"
    event = AuditEvent.objects.get(action="referral.report_requested")
    assert event.actor == world["reporter"]
    assert "South Trust; 18 to 25; Red risk; South Staffordshire" in event.summary


def test_the_key_working_team_report_ignores_the_age_range(client, login_as, world):
    login_as(world["admin"], world["north"])
    client.post(REPORT_CREATE, {"report_type": "dsr_key_working_team", "age": "26_plus"})
    assert ReportJob.objects.get().params["age"] == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a report"),
        ({"report_type": "everything"}, "Choose a report from the list"),
        ({"report_type": "dsr_referrals", "age": "over_90"}, "Choose an age range from the list"),
        ({"report_type": "dsr_referrals", "risk": "purple"}, "Choose a risk level from the list"),
        ({"report_type": "dsr_referrals", "locality": "Atlantis"}, "Choose a locality from the list"),
    ],
)
def test_bad_report_choices_show_the_dashboard_with_an_error(client, login_as, world, data, message):
    login_as(world["admin"], world["north"])
    response = client.post(REPORT_CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not ReportJob.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.report_requested").exists()


@pytest.mark.parametrize("target", ["west", "other_centre"])
def test_a_report_for_an_organisation_not_permitted_is_refused_and_audited(client, login_as, world, target):
    login_as(world["limited"], world["north"])
    response = client.post(
        REPORT_CREATE, {"report_type": "dsr_referrals", "organisation": str(world[target].public_id)}
    )
    assert response.status_code == 400
    assert "You cannot report on that organisation. Choose one from the list." in response.content.decode()
    assert not ReportJob.objects.exists()
    assert AuditEvent.objects.filter(action="referral.refused", actor=world["limited"]).count() == 1


def test_a_report_needs_a_post(client, login_as, world):
    login_as(world["admin"], world["north"])
    assert client.get(REPORT_CREATE).status_code == 405


def test_another_registers_administrator_sees_only_their_own(client, login_as, world):
    referral(world, risk=Risk.RED)
    login_as(world["other_admin"], world["other_centre"])
    figures = figures_of(client.get(DASHBOARD))
    assert figures["total"] == 0
    assert figures["organisation"] == {"Elsewhere Trust": 0}


def test_platform_staff_flag_alone_is_refused(client, login_as, world):
    staff = UserFactory(platform_staff=True)
    login_as(staff, world["north"])
    assert client.get(DASHBOARD).status_code in (302, 403)


def test_the_report_form_starts_with_the_organisation_shown(client, login_as, world):
    login_as(world["admin"], world["north"])
    page = client.get(DASHBOARD, {"organisation": str(world["south"].public_id)}).content.decode()
    report_select = page.split('id="report_organisation"', 1)[1].split("</select>", 1)[0]
    assert f'value="{world["south"].public_id}" selected' in report_select
