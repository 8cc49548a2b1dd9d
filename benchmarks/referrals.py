"""Benchmark: the dynamic support register's reporting (issue 6, R9/R10) at 100,000 referrals.

    .venv/bin/python benchmarks/referrals.py [--sizes 5000,100000] [--runs 7] [--report-runs 1] [--reports none]
        [--smoke]

Loads referrals (bulk_create) across 5 organisations of one register, in steps (`--sizes`);
at each size it reports the median server time and query count (Django test client, warmed
up, `--runs` runs) of the referral list with a search (`/dsr/referrals/?q=smi`; a 404 until
the list is built is reported, not fatal), of the dashboard (all organisations, and one), and
for each of the four Excel reports: the time and the peak Python memory (tracemalloc, in a
separate run so tracing does not slow the timing) of `referral_report_build`, beside the
"floor": the same query, the same columns, written straight to an openpyxl write-only sheet
with no formatting or escaping. Both write to a temporary file, as a worker would. About a
tenth of the referrals are archived with an archiving outcome; half have an ordinary outcome.
Prints the load average, since the machine is shared, and last the pages at the smallest and
the largest size with the ratio (target: flat, within 1.5x; ADR 0022). `--smoke` (100 and
500 referrals, one run, every report) is what CI runs, so a renamed function fails CI.

Uses DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/platform_bench; creates that
database if it does not exist and migrates it. SAFETY: it refuses any database that is not
PostgreSQL or whose name does not contain "bench". Inside it, it only touches what it creates
and deletes it all at the end (and at the start, if a crashed run left it): the register
"dsr-benchmark", centres REFBENCH1-5 and users whose email ends in "@refbench.example". Not
part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import database_prepare  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/platform_bench"
SLUG = "dsr-benchmark"
CODE_PREFIX = "REFBENCH"
EMAIL_DOMAIN = "@refbench.example"
ORGANISATIONS = 5
FIRST_NAMES = ["Sam", "Alex", "Jo", "Smita", "Chris", "Priya", "Tom", "Grace", "Ravi", "Ella", "Smith", "Noah"]
LAST_NAMES = ["Jones", "Smith", "Patel", "Okafor", "Brown", "Smyth", "Taylor", "Khan", "Evans", "Wilson"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,100000", help="referral counts to measure at (default 5000,100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (default 7)")
    parser.add_argument("--report-runs", type=int, default=1, help="timed builds per report (default 1)")
    parser.add_argument(
        "--memory",
        default="dsr_referrals",
        help="report kinds whose peak memory is traced, comma-separated, or 'all' (default dsr_referrals: "
        "tracing slows a build about threefold)",
    )
    parser.add_argument(
        "--reports",
        default="all",
        help="report kinds to build, comma-separated, 'all' (default) or 'none' (pages only: a 100,000-row "
        "report takes minutes)",
    )
    parser.add_argument("--explain", action="store_true", help="print the plans of the list's slowest queries")
    parser.add_argument("--smoke", action="store_true", help="100 and 500 referrals, one run: for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.report_runs = "100,500", 1, 1
    sizes = sorted(int(size) for size in args.sizes.split(","))

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_prepare(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # no per-query bookkeeping, as in production
    os.environ.setdefault("EMAIL_URL", "locmem://")

    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from guardian.models import UserObjectPermission
    from openpyxl import Workbook

    from accounts.models import User
    from benchmarks.scaling import Pair, explain_slowest, ratio_table
    from centres.middleware import SESSION_KEY
    from centres.models import AuditEvent, Centre, Membership, RegistrationType
    from centres.roles import Role
    from centres.services.roles import role_grant
    from referrals import reports
    from referrals.access import permitted_organisations, register_access_for_user
    from referrals.models import (
        AccessLimit,
        Condition,
        Ethnicity,
        ExtraQuestion,
        Outcome,
        Referral,
        Register,
        RegisterOrganisation,
        Risk,
    )
    from reporting.models import ReportJob

    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql"

    def teardown() -> None:
        """Delete what this script creates. Raw deletes: the referrals' history signals would
        otherwise load and re-save every row."""
        centres = list(Centre.objects.filter(code__startswith=CODE_PREFIX))
        with transaction.atomic():
            register = Register.objects.filter(slug=SLUG).first()
            if register is not None:
                referral_ids = Referral.objects.filter(register=register).values("pk")
                Outcome.objects.filter(referral__in=referral_ids)._raw_delete(connection.alias)
                Referral.history.model.objects.filter(register_id=register.pk)._raw_delete(connection.alias)
                Referral.objects.filter(register=register)._raw_delete(connection.alias)
                ExtraQuestion.objects.filter(register=register).delete()
                AccessLimit.objects.filter(register=register).delete()
                RegisterOrganisation.objects.filter(register=register).delete()
                register.delete()
            for centre in centres:
                ReportJob.objects.for_centre(centre).delete()
                AuditEvent.objects.filter(centre=centre).delete()
                UserObjectPermission.objects.filter(
                    content_type=ContentType.objects.get_for_model(Centre), object_pk=str(centre.pk)
                ).delete()
                centre.role_assignments.all().delete()
                Membership.objects.for_centre(centre).delete()
                centre.delete()
            User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()

    def setup():
        centres = [
            Centre.objects.create(code=f"{CODE_PREFIX}{n}", name=f"Benchmark Trust {n}")
            for n in range(1, ORGANISATIONS + 1)
        ]
        register = Register.objects.create(
            name="Benchmark DSR", slug=SLUG, localities=["North", "South", "East", "West"]
        )
        for centre in centres:
            RegisterOrganisation.objects.create(register=register, centre=centre)
        questions = [
            ExtraQuestion.objects.create(register=register, position=n, text=text)
            for n, text in enumerate(["Key worker allocated?", "Housing provider", "Last review"], start=1)
        ]
        staff = User.objects.create_user(f"bench.staff{EMAIL_DOMAIN}", is_staff=True)
        admin = User.objects.create(
            email=f"dsr.admin{EMAIL_DOMAIN}",
            password=make_password("benchmark-password-1"),
            first_name="Dana",
            last_name="Admin",
        )
        Membership.objects.create(
            user=admin,
            centre=centres[0],
            delegate_number=f"RB{admin.pk}",
            is_approved=True,
            registration_type=RegistrationType.CENTRE,
            job_group_id=1,
        )
        role_grant(user=admin, centre=centres[0], role=Role.DSR_ADMIN, granted_by=staff)
        return register, centres, questions, admin

    def load(register, centres, questions, admin, *, start: int, stop: int) -> None:
        """Referrals start..stop-1 (and their outcomes), written in batches."""
        rng = random.Random(start)  # noqa: S311 - test data
        now = timezone.now()
        today = date.today()
        risks, conditions, ethnicities = list(Risk), list(Condition), list(Ethnicity)
        batch = 5000
        for first in range(start, stop, batch):
            referrals = []
            for n in range(first, min(first + batch, stop)):
                archived = n % 10 == 0
                referrals.append(
                    Referral(
                        reference=f"B{n:09d}",
                        register=register,
                        centre=centres[n % ORGANISATIONS],
                        created_by=admin,
                        updated_by=admin,
                        has_capacity=True,
                        consent_given=True,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        date_of_birth=today - timedelta(days=rng.randint(5 * 365, 70 * 365)),
                        nhs_number=f"{9000000000 + n}",
                        condition=rng.choice(conditions),
                        ethnicity=rng.choice(ethnicities),
                        locality=rng.choice(register.localities),
                        criminal_justice="no",
                        risk=rng.choice(risks),
                        latest_update="Discussed at the weekly DSR meeting; support plan reviewed with the family.",
                        extra_answers={
                            str(questions[0].public_id): rng.choice(["yes", "no", "dont_know"]),
                            str(questions[1].public_id): "Housing association",
                            str(questions[2].public_id): "2026-10-01",
                        },
                        archived_at=now if archived else None,
                        archived_by=admin if archived else None,
                    )
                )
            Referral.objects.bulk_create(referrals)
            outcomes = [
                Outcome(
                    centre_id=referral.centre_id,
                    referral=referral,
                    recorded_by=admin,
                    cetr_requested=False,
                    laep_requested=True,
                    meeting_happened=True,
                    result=Outcome.Result.COMMUNITY_PLAN,
                    notes="Met with the community team.",
                    summary_for_next_meeting="Stable; review next month.",
                    plan_from_meeting="Keep the current support in place.",
                    archived=referral.archived_at is not None,
                )
                for index, referral in enumerate(referrals)
                if referral.archived_at is not None or index % 2 == 0
            ]
            Outcome.objects.bulk_create(outcomes)
        # What autovacuum does to a table in use: statistics, and the visibility map that lets
        # the list's count read the index alone (a freshly bulk-loaded table reads every row).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE referrals_referral")
            cursor.execute("VACUUM ANALYZE referrals_outcome")

    def client_for(user, centre) -> Client:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        session = client.session
        session[SESSION_KEY] = centre.pk
        session.save()
        return client

    pages: dict[int, list[tuple[str, float, int]]] = {}

    def measure(client: Client, label: str, path: str, *, size: int) -> None:
        response = client.get(path)  # warm up
        assert response.status_code == 200, (path, response.status_code)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(
            f"  {label:<52} median {statistics.median(timings):6.0f} ms  (min {min(timings):.0f}, "
            f"max {max(timings):.0f}; {len(queries)} queries)",
            flush=True,
        )
        pages.setdefault(size, []).append((label, statistics.median(timings), len(queries)))

    class Job:
        """What the worker passes a report builder."""

        def __init__(self, *, kind, centre, user):
            self.kind, self.centre, self.requested_by = kind, centre, user
            self.params = {"organisation": "", "age": "", "risk": "", "locality": ""}

    def floor_build(job, stream) -> int:
        """The same query and columns, straight to openpyxl: no labels, escaping or time zones."""
        report = reports.REPORT_TYPE_BY_KIND[job.kind]
        access = register_access_for_user(user=job.requested_by, centre=job.centre)
        today = timezone.localdate()
        referrals = reports.report_referrals(access=access, report=report, filters=job.params, today=today)
        questions = reports.report_questions(access.register)
        question_ids = [public_id for public_id, _ in questions]
        referrals.count()  # as the builder does, for its progress
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(report.sheet)
        sheet.append(reports.report_headers(report=report, questions=questions))
        answers_at = reports.REFERRAL_FIELDS.index("extra_answers")
        values = (
            referrals.order_by("centre__name", "last_name", "first_name", "pk")
            .values_list(*reports.REFERRAL_FIELDS)
            .iterator(chunk_size=reports.CHUNK_SIZE)
        )
        count = 0
        for chunk in reports._chunks(values, reports.CHUNK_SIZE):
            latest, archiving = reports._outcomes_for([r[0] for r in chunk]) if report.with_outcomes else ({}, {})
            for r in chunk:
                answers = r[answers_at]
                (created_first, created_last, created_at, updated_first, updated_last, updated_at, archived_at) = r[
                    answers_at + 1 : answers_at + 8
                ]
                row = [
                    *r[1:answers_at],
                    *(answers.get(q) for q in question_ids),
                    f"{created_first} {created_last}",
                    created_at,
                    f"{updated_first} {updated_last}",
                    updated_at,
                ]
                if report.with_outcomes:
                    o = latest.get(r[0])
                    row += (
                        [o["created_at"], f"{o['recorded_by__first_name']} {o['recorded_by__last_name']}"]
                        + [o[field] for field in reports.OUTCOME_FIELDS[4:12]]
                        if o
                        else [None] * 10
                    )
                if report.archived:
                    closing = archiving.get(r[0]) or {}
                    row += [
                        archived_at,
                        f"{r[answers_at + 8]} {r[answers_at + 9]}",
                        closing.get("summary_for_next_meeting"),
                        closing.get("plan_from_meeting"),
                    ]
                sheet.append([value.replace(tzinfo=None) if hasattr(value, "tzinfo") else value for value in row])
                count += 1
        workbook.save(stream)
        return count

    def timed(build) -> tuple[float, int]:
        """(median seconds, rows) of building into a temporary file, as a worker would."""
        timings = []
        rows = 0
        for _ in range(args.report_runs):
            with tempfile.TemporaryFile() as stream:
                started = time.perf_counter()
                rows = build(stream)
                timings.append(time.perf_counter() - started)
        return statistics.median(timings), rows

    def traced(build) -> float:
        """Peak traced Python memory (MiB) of one build, in its own run."""
        with tempfile.TemporaryFile() as stream:
            tracemalloc.start()
            build(stream)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return peak / 2**20

    teardown()  # what a crashed run left behind
    try:
        load_average = os.getloadavg()
        print(
            f"PostgreSQL {connection.pg_version}, database {connection.settings_dict['NAME']}; {args.runs} runs per "
            f"page, {args.report_runs} per report; {os.cpu_count()} CPUs, load average at start "
            f"{load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f}",
            flush=True,
        )
        register, centres, questions, admin = setup()
        assert len(permitted_organisations(user=admin, register=register)) == ORGANISATIONS
        client = client_for(admin, centres[0])
        loaded = 0
        for size in sizes:
            started = time.perf_counter()
            load(register, centres, questions, admin, start=loaded, stop=size)
            print(
                f"\n{size:,} referrals ({ORGANISATIONS} organisations) loaded in {time.perf_counter() - started:.1f} s"
            )
            loaded = size
            for label, path in (
                ("Referral list, first page", "/dsr/referrals/"),
                ("Referral list, last page", "/dsr/referrals/?page=999999"),
                ("Referral list, sorted by name, last page", "/dsr/referrals/?sort=name&page=999999"),
                ("Referral list, sorted by organisation", "/dsr/referrals/?sort=organisation"),
                ("Referral list, search 'smi'", "/dsr/referrals/?q=smi"),
                ("Referral list, search 'smi', sorted by name", "/dsr/referrals/?q=smi&sort=name"),
                ("Dashboard, all organisations", "/dsr/reporting/"),
                ("Dashboard, one organisation", f"/dsr/reporting/?organisation={centres[1].public_id}"),
            ):
                measure(client, label, path, size=size)
                if args.explain and label.startswith("Referral list"):
                    explain_slowest(client, path)
            for report in reports.REPORT_TYPES:
                if args.reports == "none" or (args.reports != "all" and report.kind not in args.reports.split(",")):
                    continue
                job = Job(kind=report.kind, centre=centres[0], user=admin)

                def builder(stream, job=job):
                    return reports.referral_report_build(job, stream, print_nothing)

                def floor(stream, job=job):
                    return floor_build(job, stream)

                built, rows = timed(builder)
                floor_time, floor_rows = timed(floor)
                assert rows == floor_rows, (rows, floor_rows)
                line = (
                    f"  {report.label + f' ({rows:,} rows)':<52} {built:6.1f} s; floor {floor_time:6.1f} s; "
                    f"ratio {built / floor_time:.2f}"
                )
                if args.memory == "all" or report.kind in args.memory.split(","):
                    line += f"; peak memory {traced(builder):.1f} MiB, floor {traced(floor):.1f} MiB"
                print(line, flush=True)
        small, large = sizes[0], sizes[-1]
        pairs = [
            Pair(label, small_ms, large_ms, small_queries, large_queries)
            for (label, small_ms, small_queries), (_, large_ms, large_queries) in zip(
                pages[small], pages[large], strict=True
            )
        ]
        ratio_table(pairs, small=f"{small:,}", large=f"{large:,}")
    finally:
        teardown()
        print("Removed everything the benchmark created.")


def print_nothing(done: int, total: int) -> None:
    """The builder's progress callback (the worker writes it to the job)."""


if __name__ == "__main__":
    main()
