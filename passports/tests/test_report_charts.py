"""Issue 16 item 4: the passport reports page shows, before any download, each framework's
enrolled / started / all confirmed / signed off / overdue learners as bar charts, for one job
group if asked, from one grouped query."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from centres.models import JobGroup
from centres.roles import Role
from passports.models import Enrolment, Proficiency, ResultStatus
from passports.selectors.reports import framework_charts
from passports.tests.factories import enrolment_build, framework_version_build
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REPORTS = reverse("passports:reports")
ROW = re.compile(r'<th scope="row"[^>]*>([^<]+)</th>\s*<td[^>]*>(\d+)</td>')


def chart_of(page: str, framework) -> dict[str, int]:
    table = page.split(f'id="chart-framework-{framework.public_id}"', 1)[1].split("</table>", 1)[0]
    return {html.unescape(label): int(count) for label, count in ROW.findall(table)}


@pytest.fixture
def world(centre):
    version = framework_version_build(name="Cannulation", sections=1, per_section=3)
    Proficiency.objects.filter(version=version, position=3).update(is_optional=True)
    other = framework_version_build(name="Venepuncture", sections=1, per_section=2)
    educator = MembershipFactory(centre=centre, role=Role.EDUCATOR)
    nurses, doctors = JobGroup.objects.order_by("id")[:2]
    today = timezone.localdate()

    def learner(job_group, framework_version=version, **fields):
        membership = MembershipFactory(centre=centre, job_group=job_group)
        enrolment = enrolment_build(centre=centre, version=framework_version, learner=membership, educator=educator)
        Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
        return enrolment

    now = timezone.now()
    learner(nurses)  # enrolled only
    started = learner(nurses, started_at=now, complete_by=today - timedelta(days=1))  # overdue
    done = learner(doctors, started_at=now, complete_by=today - timedelta(days=1))
    done.results.filter(proficiency__is_optional=False).update(status=ResultStatus.CONFIRMED)  # optional one not
    learner(doctors, started_at=now, signed_off_at=now, complete_by=today - timedelta(days=3))  # not overdue
    learner(nurses, removed_at=now)  # removed: never counted
    learner(doctors, framework_version=other, started_at=now)
    started.results.update(status=ResultStatus.SELF_ASSESSED)
    manager = MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)
    return {
        "centre": centre,
        "framework": version.framework,
        "other": other.framework,
        "nurses": nurses,
        "doctors": doctors,
        "manager": manager.user,
    }


def test_reports_page_shows_each_frameworks_figures(client, login_as, world):
    login_as(world["manager"], world["centre"])
    response = client.get(REPORTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert chart_of(page, world["framework"]) == {
        "Enrolled": 4,
        "Started": 3,
        "All required proficiencies confirmed": 1,
        "Signed off": 1,
        "Overdue (complete-by date passed, not signed off)": 2,
    }
    assert chart_of(page, world["other"])["Enrolled"] == 1
    assert page.index("Progress at a glance") < page.index("Download progress report")
    # Bars are shares of those enrolled: 3 of 4 started; overdue is red.
    assert 'class="app-chart__bar app-chart__bar--blue app-width-75"' in page
    assert 'class="app-chart__bar app-chart__bar--red app-width-50"' in page


def test_filter_by_job_group(client, login_as, world):
    login_as(world["manager"], world["centre"])
    page = client.get(REPORTS, {"job_group": world["doctors"].pk}).content.decode()
    assert chart_of(page, world["framework"]) == {
        "Enrolled": 2,
        "Started": 2,
        "All required proficiencies confirmed": 1,
        "Signed off": 1,
        "Overdue (complete-by date passed, not signed off)": 1,
    }
    assert f"in the job group {html.escape(world['doctors'].name)}" in page
    nurses_page = client.get(REPORTS, {"job_group": world["nurses"].pk}).content.decode()
    assert 'id="chart-framework-' + str(world["other"].public_id) not in nurses_page  # no nurse on it
    # A job group nobody here is in (or junk) says so and shows everyone.
    bad = client.get(REPORTS, {"job_group": "999"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Select a job group from the list" in body
    assert "<title>Error: Passport reports" in body
    assert chart_of(body, world["framework"])["Enrolled"] == 4


def test_another_centres_learners_are_not_counted(client, login_as, world):
    elsewhere = CentreFactory()
    enrolment_build(
        centre=elsewhere,
        version=world["framework"].versions.get(),
        learner=MembershipFactory(centre=elsewhere),
        educator=MembershipFactory(centre=elsewhere, role=Role.EDUCATOR),
    )
    charts = framework_charts(centre=world["centre"], today=timezone.localdate())
    assert [chart.enrolled for chart in charts] == [4, 1]


def test_reports_page_queries_do_not_grow_with_learners(client, login_as, world, django_assert_num_queries):
    login_as(world["manager"], world["centre"])
    client.get(REPORTS)
    with CaptureQueriesContext(connection) as few:
        client.get(REPORTS, {"job_group": world["nurses"].pk})
    educator = MembershipFactory(centre=world["centre"], role=Role.EDUCATOR)
    for _ in range(12):
        enrolment_build(
            centre=world["centre"],
            version=world["framework"].versions.get(),
            learner=MembershipFactory(centre=world["centre"], job_group=world["nurses"]),
            educator=educator,
        )
    with django_assert_num_queries(len(few)):
        page = client.get(REPORTS, {"job_group": world["nurses"].pk}).content.decode()
    assert chart_of(page, world["framework"])["Enrolled"] == 14


def test_charts_take_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        framework_charts(centre=world["centre"], today=timezone.localdate())
