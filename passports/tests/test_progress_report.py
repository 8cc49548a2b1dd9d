"""P10 centre progress report: one row per current enrolment, for VIEW_REPORTS only, built in a
constant number of queries."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centres.models import AuditEvent, RegistrationPrompt
from centres.roles import Role
from passports.models import Result, ResultStatus
from passports.progress_report import passport_progress_build
from passports.tests.factories import enrolment_build, framework_version_build
from reporting.excel import table_rows
from reporting.models import ReportJob
from reporting.services import report_job_create
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return CentreFactory()


@pytest.fixture
def manager(centre):
    return MembershipFactory(centre=centre, role=Role.CENTRE_MANAGER)


@pytest.fixture
def version():
    return framework_version_build(name="IV Therapy Passport", sections=2, per_section=2)


def _run(job_params, centre, manager) -> list[tuple]:
    job = report_job_create(
        centre=centre,
        requested_by=manager.user,
        kind="passport_progress_xlsx",
        title="Progress",
        params=job_params,
        filename="p.xlsx",
        access={"permissions": ["centres.view_reports"]},
    )
    stream = io.BytesIO()
    count = passport_progress_build(job, stream, lambda done, total: None)
    rows = table_rows(load_workbook(io.BytesIO(stream.getvalue())).active.iter_rows(values_only=True))
    assert count == len(rows) - 1
    return rows


def test_one_row_per_current_enrolment_with_prompts_and_counts(centre, manager, version):
    RegistrationPrompt.objects.create(centre=centre, position=2, text="Which ward?", options=["Ward 1", "Ward 2"])
    learner = MembershipFactory(centre=centre, user__first_name="Oliver", user__last_name="Bennett", answer2="Ward 2")
    enrolment = enrolment_build(centre=centre, version=version, learner=learner)
    results = Result.objects.filter(enrolment=enrolment).order_by("proficiency__position")
    first, second, third = list(results)[:3]
    Result.objects.filter(pk__in=[first.pk, second.pk]).update(answer="achieved")
    Result.objects.filter(pk=first.pk).update(status=ResultStatus.CONFIRMED)
    Result.objects.filter(pk=third.pk).update(answer="ongoing")
    enrolment.signed_off_at = timezone.now()
    enrolment.last_active_at = timezone.now()
    enrolment.save()
    removed = enrolment_build(centre=centre, version=framework_version_build(name="Removed framework"))
    removed.removed_at = timezone.now()
    removed.removed_by = removed.enrolled_by
    removed.save()
    enrolment_build(centre=CentreFactory(), version=version)  # another centre's

    rows = _run({}, centre, manager)
    assert rows[0] == (
        "Learner",
        "Delegate number",
        "Job group",
        "Which ward?",
        "Framework",
        "Version",
        "Enrolled",
        "Complete by",
        "Last active",
        "Achieved (self-assessed)",
        "Confirmed",
        "Total proficiencies",
        "Signed off",
    )
    assert len(rows) == 2
    row = rows[1]
    assert row[:6] == (
        "Oliver Bennett",
        learner.delegate_number,
        learner.job_group.name,
        "Ward 2",
        "IV Therapy Passport",
        1,
    )
    assert row[9:12] == (2, 1, 4)
    assert row[12] is not None
    assert AuditEvent.objects.filter(action="passport.progress_exported", centre=centre).exists()


def test_framework_filter_and_text_escaping(centre, manager, version):
    other = framework_version_build(name="Step 1 proficiencies")
    learner = MembershipFactory(centre=centre, user__first_name="=cmd|' /C calc'!A0", user__last_name="Smith")
    enrolment_build(centre=centre, version=version, learner=learner)
    enrolment_build(centre=centre, version=other)
    rows = _run({"framework_id": str(version.framework.public_id)}, centre, manager)
    assert len(rows) == 2
    assert rows[1][0].startswith("'=cmd")


def test_queries_do_not_grow_with_enrolments(centre, manager, version, django_assert_max_num_queries):
    for _ in range(2):
        enrolment_build(centre=centre, version=version)
    with django_assert_max_num_queries(12) as few:
        _run({}, centre, manager)
    for _ in range(8):
        enrolment_build(centre=centre, version=version)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _run({}, centre, manager)
    assert len(rows) == 11


def test_reports_page_creates_the_job_for_managers_only(
    client, login_as, centre, manager, version, django_capture_on_commit_callbacks
):
    enrolment_build(centre=centre, version=version)
    login_as(manager.user, centre)
    page = client.get(reverse("passports:reports"))
    html = page.content.decode()
    assert "Download progress report" in html
    assert "IV Therapy Passport" in html
    assert 'href="/passports/reports/"' in html  # the navigation entry
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("passports:reports"), {"framework": str(version.framework.public_id)})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    job.refresh_from_db()
    assert (job.status, job.rows, job.params["framework_name"]) == ("done", 1, "IV Therapy Passport")

    bad = client.post(reverse("passports:reports"), {"framework": "not-a-framework"})
    assert bad.status_code == 400
    assert "Select a framework from the list" in bad.content.decode()

    for role in (None, Role.EDUCATOR, Role.ASSESSOR):
        member = MembershipFactory(centre=centre, role=role)
        login_as(member.user, centre)
        assert client.get(reverse("passports:reports")).status_code == 403
        assert client.post(reverse("passports:reports")).status_code == 403


def test_workbook_says_which_framework_made_it(centre, manager, version):
    """Issue 16 item 12: the header block above the table names the report and its filter."""
    enrolment_build(centre=centre, version=version)
    job = ReportJob.objects.create(
        centre=centre,
        requested_by=manager.user,
        kind="passport_progress_xlsx",
        title="Progress",
        params={"framework_id": str(version.framework.public_id), "framework_name": version.framework.name},
        filename="p.xlsx",
        access={"permissions": ["centres.view_reports"]},
    )
    stream = io.BytesIO()
    passport_progress_build(job, stream, lambda done, total: None)
    rows = list(load_workbook(io.BytesIO(stream.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Report", "Passport progress")
    assert ("Framework", version.framework.name) in [row[:2] for row in rows[:6]]
    assert ("Centre", centre.name) in [row[:2] for row in rows[:6]]
    assert table_rows(rows)[0][0] == "Learner"
