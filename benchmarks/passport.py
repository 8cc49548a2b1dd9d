"""Benchmark: passports (issue 5) on the real 670-item Step 1 framework.

    .venv/bin/python benchmarks/passport.py [--runs 7] [--pdf-runs 7] [--learners 500] [--small-learners 25]
        [--home-learners 100] [--no-pdf] [--profile] [--smoke]

Reports the median server time and the number of queries of the learner's passport page
(first page, a section, a filtered search), a proficiency page, the supervisor dashboard of an
assessor with `--learners` learners and of one with `--small-learners` (each with an open
request from every learner: the to-do list grows with them too) and the ratio of the two
(target: flat, within 1.5x; issue 12 finding 7), the
review page of one confirmation request and the supervisor's read-only view of the passport;
then the median time to render the 670-item record PDF the way the worker does
(`passport_record_pdf_build`, WeasyPrint), its page count and size, and the process's peak
resident size. Pages are fetched with Django's test client
(force_login, the centre in the session as `conftest.login_as` does); each is fetched once to
warm up, then `--runs` times. Prints the load average, since the machine is shared.

Uses DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/platform_bench; creates that
database if it does not exist and migrates it. SAFETY: it refuses any database that is not
PostgreSQL or whose name does not contain "bench". Inside it, it only touches what it creates
and deletes it all at the end (and at the start, if a crashed run left it): the centre
PASSBENCH, users whose email ends in "@passbench.example" and the framework
"Step 1 proficiencies (benchmark)", loaded from passports/data/step1-proficiencies.json with
the framework loader. The main learner is enrolled with `enrolment_create` (history rows,
audit, email as in real use); the other learners' rows are bulk-inserted. Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import database_prepare  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/platform_bench"
CODE = "PASSBENCH"
EMAIL_DOMAIN = "@passbench.example"
FRAMEWORK = "Step 1 proficiencies (benchmark)"
DATA = ROOT / "passports" / "data" / "step1-proficiencies.json"
MAIN_PENDING = 25  # results waiting in the main learner's open request (the review page)
OTHER_PENDING = 8  # in each other learner's request


def status_mix(count: int, *, done: float, seed: int) -> list[tuple[str, str]]:
    """(status, answer) for `count` results in framework order: the first `done` share worked
    through (mostly confirmed, some rejected, self-assessed or ongoing), the rest not assessed."""
    rng = random.Random(seed)  # noqa: S311 - test data
    rows = []
    for index in range(count):
        if index >= done * count:
            rows.append(("not_assessed", ""))
            continue
        roll = rng.random()
        if roll < 0.75:
            rows.append(("confirmed", "achieved"))
        elif roll < 0.8:
            rows.append(("rejected", "achieved"))
        elif roll < 0.9:
            rows.append(("self_assessed", "achieved"))
        else:
            rows.append(("self_assessed", "ongoing"))
    return rows


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (default 7)")
    parser.add_argument("--pdf-runs", type=int, default=None, help="timed PDF renders (default: --runs)")
    parser.add_argument("--learners", type=int, default=500, help="learners of the large assessor (default 500)")
    parser.add_argument(
        "--small-learners", type=int, default=25, help="learners of the small assessor (default 25: one full page)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="8 and 3 learners, one run, no PDF: CI checks the script still works"
    )
    parser.add_argument(
        "--home-learners",
        type=int,
        default=100,
        help="learners of the supervisor whose home page is timed (default 100)",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the record PDF")
    parser.add_argument("--explain", action="store_true", help="print the plans of the dashboards' slowest queries")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the slowest page")
    args = parser.parse_args(argv)
    if args.smoke:
        args.learners, args.small_learners, args.runs, args.no_pdf = 8, 3, 1, True
        args.home_learners = 5
    return args


def _django_setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_prepare(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # no per-query bookkeeping, as in production
    os.environ.setdefault("EMAIL_URL", "locmem://")  # the services' emails: not on the console

    import django

    django.setup()

    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)


def teardown() -> None:
    """Delete what this script creates (children first; most foreign keys protect)."""
    from django.db import connection, transaction

    from accounts.models import User
    from centres.models import AuditEvent, Centre, Membership
    from notifications.models import OutboundEmail
    from passports.models import (
        ConfirmationItem,
        ConfirmationRequest,
        Enrolment,
        Framework,
        Result,
        StaffListEntry,
        Supervisor,
    )

    centre = Centre.objects.filter(code=CODE).first()
    with transaction.atomic():
        if centre is not None:
            # Raw deletes, children first: the ORM's cascade would write a history row per
            # result (335,000 at 500 learners) one INSERT at a time.
            for model in (ConfirmationItem, ConfirmationRequest, Supervisor, Result):
                model.objects.for_centre(centre)._raw_delete(connection.alias)
            Result.history.model.objects.filter(centre_id=centre.pk)._raw_delete(connection.alias)
            Enrolment.objects.for_centre(centre).delete()  # sign-offs, certificates (none here)
            StaffListEntry.objects.for_centre(centre).delete()
            AuditEvent.objects.filter(centre=centre).delete()
            centre.role_assignments.all().delete()
            Membership.objects.for_centre(centre).delete()
            centre.delete()
        OutboundEmail.objects.filter(centre_code=CODE).delete()
        framework = Framework.objects.filter(name=FRAMEWORK).first()
        if framework is not None:
            for version in framework.versions.all():
                version.proficiencies.all().delete()
                version.sections.all().delete()
                version.delete()
            framework.delete()
        people = User.objects.filter(email__endswith=EMAIL_DOMAIN)
        OutboundEmail.objects.filter(to__icontains=EMAIL_DOMAIN).delete()
        people.delete()


def build(args: argparse.Namespace):
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from centres.models import Centre, Membership, RegistrationType
    from centres.roles import Role
    from centres.services.roles import role_grant
    from passports.models import ConfirmationItem, ConfirmationRequest, Enrolment, Result, StaffListEntry, Supervisor
    from passports.services.enrolment import enrolment_create
    from passports.services.framework_json import framework_json_parse, framework_load

    started = time.perf_counter()
    rows, prerequisites = framework_json_parse(json.loads(DATA.read_text(encoding="utf-8")))
    outcome = framework_load(name=FRAMEWORK, rows=rows, prerequisites_html=prerequisites, publish=True)
    version = outcome.version
    framework = version.framework
    proficiencies = list(version.proficiencies.order_by("position").values_list("pk", flat=True))
    sections = version.sections.count()
    print(f"Loaded {FRAMEWORK}: {len(proficiencies)} proficiencies in {sections} sections", flush=True)

    centre = Centre.objects.create(code=CODE, name="Passport Benchmark Teaching Hospitals")
    staff = User.objects.create_user(f"bench.staff{EMAIL_DOMAIN}", is_staff=True)
    password = make_password("benchmark-password-1")  # hashed once, not once a learner

    def person(n: str, first: str, last: str) -> Membership:
        user = User.objects.create(
            email=f"{first}.{last}{n}{EMAIL_DOMAIN}".lower(), password=password, first_name=first, last_name=last
        )
        return Membership.objects.create(
            user=user,
            centre=centre,
            delegate_number=f"PB{user.pk}",
            is_approved=True,
            registration_type=RegistrationType.CENTRE,
            job_group_id=1,
        )

    educator = person("", "Priya", "Raman").user
    assessor = person("", "Tom", "Underwood").user
    small_assessor = person("", "Chloe", "Adeyemi").user
    manager = person("", "Helen", "Marsh").user
    role_grant(user=manager, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    role_grant(user=educator, centre=centre, role=Role.EDUCATOR, granted_by=manager)
    role_grant(user=assessor, centre=centre, role=Role.ASSESSOR, granted_by=manager)
    role_grant(user=small_assessor, centre=centre, role=Role.ASSESSOR, granted_by=manager)

    # The main learner: enrolled through the service (one result per proficiency, history).
    main = person("", "Grace", "Okafor")
    main_enrolment = enrolment_create(
        centre=centre, membership=main, framework=framework, complete_by=None, enrolled_by=educator
    )
    learners = [main] + [person(str(n), "Learner", f"Number{n}") for n in range(1, args.learners)]
    others = Enrolment.objects.bulk_create(
        [
            Enrolment(centre=centre, membership=m, framework=framework, version=version, enrolled_by=educator)
            for m in learners[1:]
        ]
    )
    enrolments = [main_enrolment, *others]
    now = timezone.now()
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(started_at=now, last_active_at=now)
    Supervisor.objects.bulk_create(
        [
            Supervisor(centre=centre, enrolment=e, user=educator, is_enrolling_educator=True, added_by=educator)
            for e in enrolments[1:]
        ]
        + [Supervisor(centre=centre, enrolment=e, user=assessor, added_by=e.membership.user) for e in enrolments]
        + [
            Supervisor(centre=centre, enrolment=e, user=small_assessor, added_by=e.membership.user)
            for e in enrolments[: args.small_learners]
        ]
    )
    StaffListEntry.objects.bulk_create(
        [StaffListEntry(centre=centre, educator=educator, email=m.user.email, membership=m) for m in learners]
    )

    # Statuses: the main learner about 60% through, the others anywhere from 0 to 95%; each
    # has an open request to the assessor (`pending` Achieved results; not assessed ones
    # are answered Achieved first for learners with too few), and the first 5 one to the
    # small assessor (2 results). Results are shaped in memory, then written at once.
    def shape(index: int, results: list[Result]) -> tuple[list[Result], list[Result]]:
        done = 0.6 if index == 0 else (index * 37 % 20) / 20
        mix = status_mix(len(results), done=done, seed=index)
        for position, (result, (status, answer)) in enumerate(zip(results, mix, strict=True)):
            result.status, result.answer = status, answer
            if status != "not_assessed":
                result.assessed_at = now
                result.action_plan = "Practised on the ward under supervision." if position % 3 == 0 else ""
            if status in ("confirmed", "rejected"):
                result.reviewed_by, result.reviewed_at = assessor, now
                result.reviewer_comment = "Needs another observed attempt." if status == "rejected" else ""
        pending = MAIN_PENDING if index == 0 else OTHER_PENDING
        achieved = [r for r in results if r.status == "self_assessed" and r.answer == "achieved"]
        chosen = achieved[:pending]
        small = achieved[pending : pending + 2] if index < args.small_learners else []
        spare = [r for r in results if r.status == "not_assessed"]
        while len(chosen) < pending and spare:
            extra = spare.pop(0)
            extra.answer, extra.assessed_at = "achieved", now
            chosen.append(extra)
        for result in chosen + small:
            result.status = "requested"
        return chosen, small

    main_results = list(Result.objects.filter(enrolment=main_enrolment).order_by("proficiency__position"))
    shaped = [shape(0, main_results)]
    Result.objects.bulk_update(
        main_results,
        ["status", "answer", "assessed_at", "action_plan", "reviewed_by", "reviewed_at", "reviewer_comment"],
        batch_size=1000,
    )
    other_results = []
    for index, enrolment in enumerate(enrolments[1:], start=1):
        results = [Result(centre=centre, enrolment=enrolment, proficiency_id=p) for p in proficiencies]
        shaped.append(shape(index, results))
        other_results += results
    Result.objects.bulk_create(other_results, batch_size=5000)  # PostgreSQL sets their pks
    requests = ConfirmationRequest.objects.bulk_create(
        [ConfirmationRequest(centre=centre, enrolment=e, supervisor=assessor, last_sent_at=now) for e in enrolments]
    )
    small_requests = ConfirmationRequest.objects.bulk_create(
        [
            ConfirmationRequest(centre=centre, enrolment=e, supervisor=small_assessor, last_sent_at=now)
            for e, (_, small) in zip(enrolments, shaped, strict=False)
            if small
        ]
    )
    small_by_enrolment = {r.enrolment_id: r for r in small_requests}
    items = []
    for enrolment, request, (chosen, small) in zip(enrolments, requests, shaped, strict=True):
        items += [ConfirmationItem(centre=centre, request=request, result=r) for r in chosen]
        if small:
            request_small = small_by_enrolment[enrolment.pk]
            items += [ConfirmationItem(centre=centre, request=request_small, result=r) for r in small]
    ConfirmationItem.objects.bulk_create(items, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Result.objects.for_centre(centre).count()
    print(
        f"Built centre {CODE}: {len(enrolments)} learners, {total:,} results, {len(requests)} open requests "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return centre, educator, assessor, small_assessor, main, main_enrolment, requests[0]


def client_for(user, centre):
    from django.test import Client

    from centres.middleware import SESSION_KEY

    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    return client


def measure(table: list, runs: int, client, label: str, path: str, must_contain: str = "") -> None:
    """One page: warmed up, timed `runs` times, its queries counted; a row added to `table`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warm up
    assert response.status_code == 200, (path, response.status_code)
    if must_contain:
        assert must_contain in response.content.decode(), (path, must_contain)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    table.append((label, statistics.median(timings), len(queries), client, path))
    print(
        f"{label:<58} median {statistics.median(timings):7.0f} ms  (min {min(timings):.0f}, max "
        f"{max(timings):.0f}; {len(queries)} queries, {len(response.content) / 1024:.0f} KiB)",
        flush=True,
    )


def _profile_slowest(table: list) -> None:
    import cProfile
    import pstats

    label, _, _, client, path = max(table, key=lambda row: row[1])
    print(f"\nProfile of the slowest page: {label}")
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def _pdf_measure(pdf_runs: int, centre, main, enrolment) -> None:
    """The record PDF rendered as the worker renders it."""
    from passports.records import passport_record, passport_record_html, passport_record_pdf_build
    from reporting.pdf import pdf_document

    class Job:  # what the worker passes a report builder
        def __init__(self):
            self.centre = centre
            self.requested_by = main.user
            self.params = {"enrolment_id": str(enrolment.public_id)}

    timings = []
    size = rows = 0
    for _ in range(pdf_runs):
        stream = io.BytesIO()
        started = time.perf_counter()
        rows = passport_record_pdf_build(Job(), stream, lambda done, total: None)
        timings.append(time.perf_counter() - started)
        size = len(stream.getvalue())
    pages = len(pdf_document(passport_record_html(record=passport_record(enrolment=enrolment))).pages)
    label = f"Record PDF ({rows} proficiencies, {pages} pages, {size // 1024} KiB)"
    print(
        f"{label:<58} median {statistics.median(timings):7.1f} s   "
        f"(min {min(timings):.1f}, max {max(timings):.1f}; {pdf_runs} runs)",
        flush=True,
    )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Process peak RSS {max_rss:.0f} MiB (the whole benchmark, PDF renders included)")


def _dashboards(args, table: list, supervisor, small_supervisor) -> list:
    """Each dashboard page for the small and the large assessor: their pairs for the ratio table."""
    from benchmarks.scaling import Pair, explain_slowest

    dashboards = [
        ("Supervisor dashboard, first page", "/passports/supervise/"),
        (
            "Supervisor dashboard, last pages",
            f"/passports/supervise/?page={args.learners}&todo_page={args.learners}",
        ),
    ]
    pairs = []
    for label, path in dashboards:
        measure(table, args.runs, small_supervisor, f"{label}, assessor with {args.small_learners} learners", path)
        small_row = table[-1]
        measure(table, args.runs, supervisor, f"{label}, assessor with {args.learners} learners", path)
        large_row = table[-1]
        if args.explain:
            explain_slowest(supervisor, path, top=3)
        pairs.append(
            Pair(
                f"{label} ({args.small_learners} / {args.learners} learners)",
                small_row[1],
                large_row[1],
                small_row[2],
                large_row[2],
            )
        )
    return pairs


def _supervisor_home(args, table: list, centre) -> None:
    """Issue 16 (Must hold): the task-first home page of an assessor with `--home-learners`
    learners, each with an open request of 2 results waiting (To do names the newest five),
    under 150 ms median. A separate supervisor, so the other measurements are unchanged."""
    from django.utils import timezone

    from accounts.models import User
    from centres.models import Membership, RegistrationType
    from centres.roles import Role
    from centres.services.roles import role_grant
    from passports.models import ConfirmationItem, ConfirmationRequest, Enrolment, Result, Supervisor

    now = timezone.now()
    user = User.objects.create(email=f"sam.home{EMAIL_DOMAIN}", first_name="Sam", last_name="Home")
    Membership.objects.create(
        user=user,
        centre=centre,
        delegate_number=f"PB{user.pk}",
        is_approved=True,
        registration_type=RegistrationType.CENTRE,
        job_group_id=1,
    )
    role_grant(
        user=user, centre=centre, role=Role.ASSESSOR, granted_by=User.objects.get(email=f"helen.marsh{EMAIL_DOMAIN}")
    )
    enrolments = list(Enrolment.objects.for_centre(centre).order_by("pk")[: args.home_learners])
    Supervisor.objects.bulk_create(
        [Supervisor(centre=centre, enrolment=e, user=user, added_by=e.membership.user) for e in enrolments]
    )
    waiting: dict[int, list[int]] = {}
    for pk, enrolment_id in (
        Result.objects.for_centre(centre)
        .filter(enrolment__in=enrolments, status="not_assessed")
        .order_by("-proficiency__position")
        .values_list("pk", "enrolment_id")
    ):
        if len(waiting.setdefault(enrolment_id, [])) < 2:
            waiting[enrolment_id].append(pk)
    chosen = [pk for pks in waiting.values() for pk in pks]
    Result.objects.filter(pk__in=chosen).update(status="requested", answer="achieved", assessed_at=now)
    requests = ConfirmationRequest.objects.bulk_create(
        [ConfirmationRequest(centre=centre, enrolment=e, supervisor=user, last_sent_at=now) for e in enrolments]
    )
    ConfirmationItem.objects.bulk_create(
        [
            ConfirmationItem(centre=centre, request=r, result_id=pk)
            for r in requests
            for pk in waiting.get(r.enrolment_id, [])
        ]
    )
    label = f"Supervisor home page, assessor with {len(enrolments)} learners (target < 150 ms)"
    measure(table, args.runs, client_for(user, centre), label, "/", "confirmation requests waiting for you")

def _learner_section_pages(table: list, args, learner, enrolment, section) -> None:
    """Issue 16 item 2: Step 1's section page (the list answered in place; target under 150 ms
    median), for a typical section and for the largest one, and the supernumerary filter."""
    from django.db.models import Count

    largest = enrolment.version.sections.annotate(n=Count("proficiencies")).order_by("-n", "position").first()
    base = f"/passports/enrolments/{enrolment.public_id}/sections/"
    for row in (section, largest):
        count = row.proficiencies.count()
        measure(
            table, args.runs, learner, f"Learner: section page {row.position} ({count} items)", f"{base}{row.position}/"
        )
    measure(
        table,
        args.runs,
        learner,
        f"Learner: section page {largest.position}, supernumerary only",
        f"{base}{largest.position}/?supernumerary=1",
    )


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    pdf_runs = args.pdf_runs or args.runs
    _django_setup()

    from django.core.management import call_command
    from django.db import connection

    from benchmarks.scaling import ratio_table
    from passports.models import Result

    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql"
    table = []
    teardown()  # what a crashed run left behind
    try:
        load = os.getloadavg()
        print(
            f"PostgreSQL {connection.pg_version}, database {connection.settings_dict['NAME']}; {args.runs} runs per "
            f"page; {os.cpu_count()} CPUs, load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
            flush=True,
        )
        centre, educator, assessor, small_assessor, main, enrolment, request = build(args)
        learner = client_for(main.user, centre)
        passport = f"/passports/enrolments/{enrolment.public_id}/"
        section = enrolment.version.sections.order_by("position")[10]
        requested = (
            Result.objects.filter(enrolment=enrolment, status="requested")
            .order_by("proficiency__position")
            .values_list("proficiency__position", flat=True)
            .first()
        )
        measure(table, args.runs, learner, "Learner: passport, first page (670 items)", passport, "Step 1")
        _learner_section_pages(table, args, learner, enrolment, section)
        measure(
            table,
            args.runs,
            learner,
            "Learner: passport, search 'patient' + status confirmed",
            passport + "?" + urlencode({"q": "patient", "status": "confirmed"}),
        )
        measure(
            table,
            args.runs,
            learner,
            "Learner: proficiency page (confirmation requested)",
            f"{passport}proficiencies/{requested}/",
        )
        supervisor = client_for(assessor, centre)
        small_supervisor = client_for(small_assessor, centre)
        pairs = _dashboards(args, table, supervisor, small_supervisor)
        _supervisor_home(args, table, centre)
        measure(
            table,
            args.runs,
            client_for(educator, centre),
            f"Supervisor dashboard, educator ({args.learners} on staff list)",
            "/passports/supervise/",
        )
        measure(
            table,
            args.runs,
            supervisor,
            f"Review page, one request ({MAIN_PENDING} results pending)",
            f"/passports/supervise/requests/{request.public_id}/",
        )
        measure(
            table,
            args.runs,
            supervisor,
            "Supervisor: learner's passport read-only (670 items)",
            f"/passports/supervise/enrolments/{enrolment.public_id}/",
        )

        if args.profile:
            _profile_slowest(table)
        if not args.no_pdf:
            _pdf_measure(pdf_runs, centre, main, enrolment)
        ratio_table(pairs, small="small", large="large")
    finally:
        teardown()
        print("Removed everything the benchmark created.")


if __name__ == "__main__":
    main()
