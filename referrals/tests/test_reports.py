"""R10 Excel reports: columns, filters, active versus archived, the scope worked out again
from the person's access when the file is built, formula escaping, constant queries."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from centres.models import RoleAssignment
from centres.roles import Role
from centres.services.roles import role_revoke
from referrals.access import register_access_for_user
from referrals.models import AccessLimit, ExtraQuestion, Outcome, Risk
from referrals.reports import (
    KIND_ARCHIVED,
    KIND_KEY_WORKING,
    KIND_OUTCOMES,
    KIND_REFERRALS,
    report_request,
)
from referrals.tests.factories import ReferralFactory, register_build, register_person
from reporting.excel import table_rows
from reporting.models import ReportJob
from reporting.services import report_job_run
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north, south = CentreFactory(name="North Trust"), CentreFactory(name="South Trust")
    register = register_build(centres=[north, south])
    other_centre = CentreFactory(name="Elsewhere Trust")
    register_build(name="Other DSR", centres=[other_centre])
    admin = register_person(centre=north, role=Role.DSR_ADMIN, user__first_name="Ada", user__last_name="Admin")
    return {
        "register": register,
        "north": north,
        "south": south,
        "other_centre": other_centre,
        "admin": admin,
        "reporter": register_person(centre=north, role=Role.DSR_REPORTING),
        "other_admin": register_person(centre=other_centre, role=Role.DSR_ADMIN),
    }


def referral(world, centre_key="north", **fields):
    return ReferralFactory(centre=world[centre_key], created_by=world["admin"], **fields)


def years_ago(years: int, today: date) -> date:
    return today.replace(year=today.year - years)


def build(world, kind, person="reporter", **params):
    """Ask for the report as `person` at North Trust and build it; the job and its rows as dicts."""
    job = ReportJob.objects.create(
        centre=world["north"],
        requested_by=world[person],
        kind=kind,
        title="t",
        params={"organisation": "", "age": "", "risk": "", "locality": "", **params},
        filename="r.xlsx",
    )
    job = report_job_run(job_id=job.pk)
    if job.status != ReportJob.Status.DONE:
        return job, None
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    rows = table_rows(sheet.iter_rows(values_only=True))  # below the filters' header block
    headers = rows[0]
    return job, [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def references(rows):
    return sorted(row["Reference"] for row in rows)


def test_referral_data_has_the_columns_and_only_active_permitted_referrals(world):
    question = ExtraQuestion.objects.create(register=world["register"], text="Allocated key worker?", position=1)
    retired = ExtraQuestion.objects.create(register=world["register"], text="Old question", position=2, is_active=False)
    today = timezone.localdate()
    kept = referral(
        world,
        reference="R1",
        first_name="Sam",
        last_name="Jones",
        date_of_birth=years_ago(30, today),
        risk=Risk.RED,
        extra_answers={str(question.public_id): "yes", str(retired.public_id): "An old answer"},
        latest_update='=HYPERLINK("http://evil.example")',
    )
    referral(world, "south", reference="R2")
    referral(world, reference="R3", archived_at=timezone.now())
    referral(world, "other_centre", reference="R4")
    job, rows = build(world, KIND_REFERRALS)
    assert job.rows == 2
    assert references(rows) == ["R1", "R2"]
    row = next(row for row in rows if row["Reference"] == "R1")
    assert row["First name"] == "Sam"
    assert row["Last name"] == "Jones"
    assert row["Date of birth"].date() == kept.date_of_birth
    assert row["Age today"] == 30
    assert row["NHS number"] == kept.nhs_number
    assert row["Referring organisation"] == "North Trust"
    assert row["Risk level"] == "Red"
    assert row["Learning disability and/or autism"] == "Learning disability"
    assert row["Ethnicity"] == "White - British"
    assert row["History with criminal justice"] == "No"
    assert row["Has capacity to consent"] == "Yes"
    assert row["Allocated key worker?"] == "Yes"
    assert row["Old question"] == "An old answer"
    assert row["Created by"] == "Ada Admin"
    assert row["Latest update for the DSR meeting"] == '\'=HYPERLINK("http://evil.example")'  # escaped
    assert "Latest outcome recorded" not in row


def test_outcome_report_has_the_latest_outcome(world):
    first = referral(world, reference="R1")
    referral(world, reference="R2")  # no outcome: empty outcome cells
    Outcome.objects.create(
        centre=world["north"],
        referral=first,
        recorded_by=world["admin"],
        cetr_requested=False,
        laep_requested=False,
        result=Outcome.Result.ADMITTED,
        notes="Older",
    )
    Outcome.objects.create(
        centre=world["north"],
        referral=first,
        recorded_by=world["admin"],
        cetr_requested=True,
        laep_requested=False,
        meeting_happened=True,
        result=Outcome.Result.ADMISSION_AVOIDED,
        notes="Newer",
    )
    _, rows = build(world, KIND_OUTCOMES)
    by_reference = {row["Reference"]: row for row in rows}
    assert by_reference["R1"]["Outcome notes"] == "Newer"
    assert by_reference["R1"]["Outcome"] == "Admission avoided with additional support"
    assert by_reference["R1"]["C(E)TR requested"] == "Yes"
    assert by_reference["R1"]["Meeting happened"] == "Yes"
    assert by_reference["R1"]["Latest outcome recorded by"] == "Ada Admin"
    assert by_reference["R2"]["Outcome notes"] is None
    assert by_reference["R2"]["Latest outcome recorded"] is None


def test_archived_report_has_only_archived_records_and_the_archiving_summary(world):
    closed = referral(world, reference="R1", archived_at=timezone.now(), archived_by=world["admin"])
    referral(world, reference="R2")
    Outcome.objects.create(
        centre=world["north"],
        referral=closed,
        recorded_by=world["admin"],
        cetr_requested=False,
        laep_requested=False,
        archived=True,
        summary_for_next_meeting="Settled at home",
        plan_from_meeting="Discharge from the register",
    )
    _, rows = build(world, KIND_ARCHIVED)
    assert references(rows) == ["R1"]
    assert rows[0]["Summary when archived"] == "Settled at home"
    assert rows[0]["Plan when archived"] == "Discharge from the register"
    assert rows[0]["Archived by"] == "Ada Admin"
    assert rows[0]["Archived"] is not None


def test_key_working_team_report_is_ages_0_to_25_whatever_the_age_filter(world):
    today = timezone.localdate()
    referral(world, reference="R25", date_of_birth=years_ago(26, today) + timedelta(days=1))  # 25
    referral(world, reference="R26", date_of_birth=years_ago(26, today))  # 26 today
    referral(world, reference="R5", date_of_birth=years_ago(5, today))
    _, rows = build(world, KIND_KEY_WORKING, age="26_plus")
    assert references(rows) == ["R25", "R5"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"age": "under_18"}, ["R17"]),
        ({"age": "18_plus"}, ["R18", "R30"]),
        ({"age": "18_to_25"}, ["R18"]),
        ({"age": "26_plus"}, ["R30"]),
        ({"risk": "blue"}, ["R30"]),
        ({"locality": "North Staffordshire & Stoke on Trent"}, ["R17"]),
        ({"organisation": "south"}, ["R30"]),
    ],
)
def test_filters(world, params, expected):
    today = timezone.localdate()
    referral(
        world,
        reference="R17",
        date_of_birth=years_ago(18, today) + timedelta(days=1),
        locality="North Staffordshire & Stoke on Trent",
    )
    referral(world, reference="R18", date_of_birth=years_ago(18, today))
    referral(world, "south", reference="R30", date_of_birth=years_ago(30, today), risk=Risk.BLUE)
    if params.get("organisation"):
        params = {**params, "organisation": str(world[params["organisation"]].public_id)}
    _, rows = build(world, KIND_REFERRALS, **params)
    assert references(rows) == expected


def test_scope_is_worked_out_again_at_build_time_from_access_limits(world):
    referral(world, reference="R1")
    referral(world, "south", reference="R2")
    AccessLimit.objects.create(register=world["register"], user=world["reporter"], centre=world["north"])
    _, rows = build(world, KIND_REFERRALS)
    assert references(rows) == ["R1"]


def test_an_organisation_limited_away_after_asking_fails_the_job(world):
    referral(world, "south", reference="R2")
    AccessLimit.objects.create(register=world["register"], user=world["reporter"], centre=world["north"])
    job, rows = build(world, KIND_REFERRALS, organisation=str(world["south"].public_id))
    assert rows is None
    assert job.status == ReportJob.Status.FAILED
    assert "You may no longer report on the organisation chosen" in job.error
    assert not job.file


def test_a_reporting_role_revoked_after_asking_fails_the_job(world):
    referral(world, reference="R1")
    assignment = RoleAssignment.objects.get(user=world["reporter"], centre=world["north"], revoked_at__isnull=True)
    role_revoke(assignment=assignment, revoked_by=world["admin"])
    job, rows = build(world, KIND_REFERRALS)
    assert rows is None
    assert job.status == ReportJob.Status.FAILED
    assert "You no longer have a reporting role in this register" in job.error


def test_a_referrer_or_platform_staff_get_no_report(world):
    world["referrer"] = register_person(centre=world["north"], role=Role.REFERRER)
    referral(world, reference="R1")
    job, rows = build(world, KIND_REFERRALS, person="referrer")
    assert rows is None
    assert job.status == ReportJob.Status.FAILED
    world["admin"].is_staff = True
    world["admin"].save()
    job, rows = build(world, KIND_REFERRALS, person="admin")
    assert rows is None
    assert job.status == ReportJob.Status.FAILED


def test_a_job_params_cannot_widen_the_scope(world):
    """Params naming another register's organisation (a tampered job) fail, never leak."""
    referral(world, "other_centre", reference="R9")
    job, rows = build(world, KIND_REFERRALS, organisation=str(world["other_centre"].public_id))
    assert rows is None
    assert job.status == ReportJob.Status.FAILED
    job, rows = build(world, KIND_REFERRALS, age="everyone")
    assert rows is None
    assert job.status == ReportJob.Status.FAILED


def test_access_for_user_mirrors_the_request_access(world):
    access = register_access_for_user(user=world["reporter"], centre=world["north"])
    assert (access.can_refer, access.can_report, access.can_administer) == (False, True, False)
    assert access.register == world["register"]
    assert {c.name for c in access.organisations} == {"North Trust", "South Trust"}
    assert register_access_for_user(user=world["reporter"], centre=world["other_centre"]) is None


def test_report_request_audits_and_queues(world, django_capture_on_commit_callbacks):
    from centres.models import AuditEvent
    from referrals.reports import REPORT_TYPE_BY_KIND

    referral(world, reference="R1")
    access = register_access_for_user(user=world["admin"], centre=world["north"])
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            access=access, report=REPORT_TYPE_BY_KIND[KIND_REFERRALS], params={"age": ""}, filter_summary=[]
        )
    job.refresh_from_db()
    assert (job.status, job.rows) == (ReportJob.Status.DONE, 1)
    assert AuditEvent.objects.filter(action="referral.report_requested", actor=world["admin"]).count() == 1


@pytest.mark.parametrize("kind", [KIND_REFERRALS, KIND_OUTCOMES, KIND_KEY_WORKING, KIND_ARCHIVED])
def test_report_queries_do_not_grow_with_rows(world, kind):
    archived = kind == KIND_ARCHIVED

    def add(count):
        for index in range(count):
            item = referral(
                world,
                ("north", "south")[index % 2],
                archived_at=timezone.now() if archived else None,
                date_of_birth=date(2012, 3, 4),  # in every report, the key working team one too
            )
            Outcome.objects.create(
                centre=item.centre,
                referral=item,
                recorded_by=world["admin"],
                cetr_requested=False,
                laep_requested=False,
                archived=archived,
            )

    def queries():
        job = ReportJob.objects.create(
            centre=world["north"], requested_by=world["admin"], kind=kind, title="t", params={}, filename="r.xlsx"
        )
        with CaptureQueriesContext(connection) as captured:
            job = report_job_run(job_id=job.pk)
        assert job.status == ReportJob.Status.DONE, job.error
        return job.rows, len(captured.captured_queries)

    add(2)
    small_rows, small = queries()
    add(28)
    large_rows, large = queries()
    assert (small_rows, large_rows) == (2, 30)
    assert small == large


def test_rows_stream_in_chunks_with_each_chunks_outcomes(world, monkeypatch):
    """More referrals than one chunk: every row once, in order, with its own latest outcome."""
    from referrals import report_rows

    monkeypatch.setattr(report_rows, "CHUNK_SIZE", 3)
    for index in range(8):
        item = referral(world, ("north", "south")[index % 2], reference=f"R{index}", last_name=f"Name{index}")
        Outcome.objects.create(
            centre=item.centre,
            referral=item,
            recorded_by=world["admin"],
            cetr_requested=False,
            laep_requested=False,
            notes=f"Outcome of R{index}",
        )
    job, rows = build(world, KIND_OUTCOMES)
    assert job.rows == 8
    assert [row["Reference"] for row in rows] == ["R0", "R2", "R4", "R6", "R1", "R3", "R5", "R7"]  # by organisation
    assert all(row["Outcome notes"] == f"Outcome of {row['Reference']}" for row in rows)


def test_report_says_which_filters_made_it(world):
    """Issue 16 item 12: a header block above the table names the report and its filters."""
    referral(world, risk="red", locality="Stafford", last_name="Redd")
    job = ReportJob.objects.create(
        centre=world["north"],
        requested_by=world["admin"],
        kind=KIND_REFERRALS,
        title="t",
        params={"organisation": str(world["south"].public_id), "age": "18_to_25", "risk": "red", "locality": ""},
        filename="r.xlsx",
    )
    job = report_job_run(job_id=job.pk)
    rows = list(load_workbook(io.BytesIO(job.file.read())).active.iter_rows(values_only=True))
    block = {row[0]: row[1] for row in rows[: rows.index(next(r for r in rows if not any(r)))]}
    assert block["Report"] == "Referral data"
    assert block["Organisation"] == "South Trust"
    assert block["Age"] == "18 to 25"
    assert block["Risk level"] == "Red"
    assert block["Locality"] == "All localities"
    assert block["Records"] == "Active"
    assert table_rows(rows)[0][0] == "Reference"
