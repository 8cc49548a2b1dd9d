"""Benchmark: care-record eLearning site staff (E3) and the central team's request queue (E4),
beside the delegate list of the same centre.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/platform_bench \
        .venv/bin/python benchmarks/elearning.py [--sizes 250:1000,5000:20000] [--runs 7] [--smoke]

Builds two sites (centres ELBENCH<staff>) with bulk_create in a dedicated PostgreSQL database
(a later run reuses them; the name must contain "bench"): each with that many current,
deactivated and removed site staff (a delegate record each), progress on three published
required modules and one optional, and that many account requests of every kind and status.
Then it requests, at both sites, the site staff page (first and last page), "All historic
memberships", one staff member's page, the queue filtered to the site (waiting; any status,
first and last page) and the delegate list (`/centre/delegates/`) of the same centre, with
Django's test client (warmed up, `--runs` runs), and prints the median server time, the number
of queries and the ratio large / small (target: flat, within 1.5x; ADR 0022). The unfiltered
queue (every site's requests) is timed once at the end. `--smoke` (sites of 40 staff / 160
requests and 200 / 800, one run) is what CI runs. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import database_prepare  # noqa: E402
from benchmarks.scaling import Pair, load_average, ratio_table  # noqa: E402


def _django_setup() -> None:
    """The benchmark's database and Django, when it runs (importing the module does nothing)."""
    global make_password, call_command, connection, reset_queries, Client, CaptureQueriesContext, timezone
    global User, SESSION_KEY, Centre, Membership, RegistrationType, Role, role_grant
    global Module, ModuleProgress, SiteStaff, AccountRequest, JobCategory
    os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/platform_bench")
    database_prepare(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # no per-query bookkeeping, as in production
    os.environ.setdefault("EMAIL_URL", "locmem://")

    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from centres.middleware import SESSION_KEY
    from centres.models import Centre, Membership, RegistrationType
    from centres.roles import Role
    from centres.services.roles import role_grant
    from elearning.models import AccountRequest, JobCategory, Module, ModuleProgress, SiteStaff


RUNS = 7
BATCH = 5000
FIRST = ["Grace", "Helen", "Alan", "Priya", "Tom", "David", "Emma", "Rajesh", "Chloe", "Sam", "Aisha", "Mark"]
LAST = [f"{stem}{suffix}" for stem in ("Smith", "Jones", "Patel", "Okafor") for suffix in ("", "son", "ley", "ford")]
MODULE_TITLES = ["Introduction (benchmark)", "Information governance (benchmark)", "Using the record (benchmark)"]


def modules_ensure() -> list:
    """Three published required modules and one optional one (reused)."""
    modules = []
    for position, title in enumerate([*MODULE_TITLES, "Optional extras (benchmark)"]):
        module, _ = Module.objects.get_or_create(
            title=title, defaults={"is_published": True, "is_required": position < 3, "position": 100 + position}
        )
        modules.append(module)
    return modules


def _staff_rows(centre, users, rng) -> list:
    statuses = [SiteStaff.Status.CURRENT] * 8 + [SiteStaff.Status.DEACTIVATED, SiteStaff.Status.REMOVED]
    memberships = Membership.objects.for_centre(centre).filter(user__in=users)
    rows = []
    for membership in memberships:
        status = rng.choice(statuses)
        rows.append(
            SiteStaff(
                centre=centre,
                user_id=membership.user_id,
                membership=membership,
                job_title=rng.choice(["Staff nurse", "GP", "Receptionist", "Pharmacist", "Social worker"]),
                job_category=rng.choice(JobCategory.values),
                contact_number="0113 243 3144",
                status=status,
                deactivation_reason="sick_leave" if status == SiteStaff.Status.DEACTIVATED else "",
            )
        )
    return rows


def _people(centre, code: str, start: int, stop: int, rng, usable: str) -> list:
    users = [
        User(
            email=f"staff{n}@{code.lower()}.bench.example",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            password=usable,
        )
        for n in range(start, stop)
    ]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__in=[u.email for u in users]).only("pk"))
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                centre=centre,
                delegate_number=f"EL{user.pk}",
                job_group_id=1,
                is_approved=True,
                registration_type=RegistrationType.CENTRE,
            )
            for user in users
        ]
    )
    return users


def build(staff_count: int, request_count: int, modules: list) -> tuple:
    """The site ELBENCH<staff> (reused when it exists) and its authoriser, who is also its
    centre manager (so the delegate list of the same centre is measured as the same person)."""
    code = f"ELBENCH{staff_count}"
    authoriser_email = f"bench.authoriser{staff_count}@bench.example"
    centre = Centre.objects.filter(code=code).first()
    if centre:
        print(
            f"Reusing site {code}: {SiteStaff.objects.for_centre(centre).count()} staff, "
            f"{AccountRequest.objects.for_centre(centre).count()} requests"
        )
        return centre, User.objects.get(email=authoriser_email)
    started = time.perf_counter()
    centre = Centre.objects.create(code=code, name=f"Benchmark Care Record Site {staff_count}")
    rng = random.Random(staff_count)  # noqa: S311 - test data
    usable = make_password("benchmark-password-1")
    now = timezone.now()
    for start in range(0, staff_count, BATCH):
        users = _people(centre, code, start, min(start + BATCH, staff_count), rng, usable)
        SiteStaff.objects.bulk_create(_staff_rows(centre, users, rng))
        progress = []
        for user in users:
            for module in modules[: rng.randint(0, 4)]:
                progress.append(ModuleProgress(user=user, module=module, started_at=now, completed_at=now))
        ModuleProgress.objects.bulk_create(progress, ignore_conflicts=True)
    staff, _ = User.objects.get_or_create(email="bench.staff@bench.example", defaults={"is_staff": True})
    authoriser = User.objects.create_user(
        authoriser_email, "benchmark-password-1", first_name="Bench", last_name="Authoriser"
    )
    membership = Membership.objects.create(
        user=authoriser,
        centre=centre,
        delegate_number=f"ELAUTH{staff_count}",
        registration_type="centre",
        is_approved=True,
    )
    SiteStaff.objects.create(centre=centre, user=authoriser, membership=membership, job_title="Authoriser")
    role_grant(user=authoriser, centre=centre, role=Role.AUTHORISER, granted_by=staff)
    role_grant(user=authoriser, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    staff_ids = list(SiteStaff.objects.for_centre(centre).values_list("pk", flat=True))
    statuses = ["completed"] * 6 + ["rejected", "open", "open", "in_progress"]
    for start in range(0, request_count, BATCH):
        AccountRequest.objects.bulk_create(
            [
                AccountRequest(
                    centre=centre,
                    site_staff_id=rng.choice(staff_ids),
                    kind=rng.choice(AccountRequest.Kind.values),
                    status=rng.choice(statuses),
                    requested_by=authoriser if rng.random() < 0.7 else None,
                    detail="Benchmark request",
                )
                for _ in range(start, min(start + BATCH, request_count))
            ]
        )
    print(
        f"Built site {code}: {staff_count:,} staff, {request_count:,} requests in {time.perf_counter() - started:.1f} s"
    )
    return centre, authoriser


def measure(client, label: str, path: str) -> tuple[float, int]:
    client.get(path)  # warm up
    timings = []
    for _ in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(
        f"{label:<58} median {statistics.median(timings):8.1f} ms  "
        f"(min {min(timings):.1f}, max {max(timings):.1f}; {len(queries)} queries)",
        flush=True,
    )
    return statistics.median(timings), len(queries)


def client_for(user, centre=None):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    if centre is not None:
        session = client.session
        session[SESSION_KEY] = centre.pk
        session.save()
    return client


def _last_page(client, path: str) -> str:
    body = client.get(path).content.decode()
    numbers = [int(n) for n in re.findall(r"page=(\d+)", body)]
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}page={max(numbers)}" if numbers else path


def pages(centre, authoriser_client, staff_client) -> list[tuple[str, str, object]]:
    site = f"/elearning/sites/{centre.public_id}/"
    one = SiteStaff.objects.for_centre(centre).filter(status="current").order_by("-id").first()
    queue = f"/platform/elearning/requests/?site={centre.public_id}"
    return [
        ("Site staff, first page", site, authoriser_client),
        ("Site staff, last page", _last_page(authoriser_client, site), authoriser_client),
        ("All historic memberships, first page", f"{site}staff/history/", authoriser_client),
        ("A staff member's page", f"{site}staff/{one.public_id}/", authoriser_client),
        ("Queue for the site, waiting", queue, staff_client),
        ("Queue for the site, any status", f"{queue}&status=", staff_client),
        ("Queue for the site, any status, last page", _last_page(staff_client, f"{queue}&status="), staff_client),
        ("Delegate list of the same centre, first page", "/centre/delegates/", authoriser_client),
    ]


def _sizes(text: str) -> list[tuple[int, int]]:
    return sorted(tuple(int(part) for part in size.split(":")) for size in text.split(","))


def main(argv: list[str] | None = None) -> None:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="250:1000,5000:20000", help="staff:requests at the small and large site")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (default 7)")
    parser.add_argument("--smoke", action="store_true", help="sites of 40:160 and 200:800, one run: for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs = "40:160,200:800", 1
    _django_setup()
    RUNS = args.runs
    (small_staff, small_requests), (large_staff, large_requests) = _sizes(args.sizes)
    call_command("migrate", verbosity=0)
    print(f"Database {connection.settings_dict['NAME']}; {RUNS} runs each; {load_average()} at start")
    modules = modules_ensure()
    sites = {
        small_staff: build(small_staff, small_requests, modules),
        large_staff: build(large_staff, large_requests, modules),
    }
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    platform_staff = User.objects.get(email="bench.staff@bench.example")
    staff_client = client_for(platform_staff)
    page_lists = {
        size: pages(centre, client_for(authoriser, centre), staff_client)
        for size, (centre, authoriser) in sites.items()
    }
    results: dict[int, list] = {size: [] for size in sites}
    for index in range(len(page_lists[small_staff])):
        for size, page_list in page_lists.items():
            label, path, client = page_list[index]
            results[size].append((label, *measure(client, f"{label} ({size:,} staff)", path)))
    measure(staff_client, "Queue, every site, waiting", "/platform/elearning/requests/")
    measure(staff_client, "Queue, every site, any status", "/platform/elearning/requests/?status=")
    pairs = [
        Pair(label, small_ms, large_ms, small_queries, large_queries)
        for (label, small_ms, small_queries), (_, large_ms, large_queries) in zip(
            results[small_staff], results[large_staff], strict=True
        )
    ]
    ratio_table(
        pairs,
        small=f"{small_staff:,}/{small_requests:,}",
        large=f"{large_staff:,}/{large_requests:,}",
    )


if __name__ == "__main__":
    main()
