"""Benchmark: the delegate list (C6) and its Excel export, at a small and a large centre.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/platform_bench \
        .venv/bin/python benchmarks/delegate_list.py [--sizes 5000,50000] [--runs 7] [--export] [--smoke]

Builds two centres with bulk_create in a dedicated PostgreSQL database (a later run reuses
them; the name must contain "bench"), runs ANALYZE, then requests each page at both centres
with Django's test client (warmed up, `--runs` runs) and prints the median server time, the
number of queries, and the ratio large / small (target: flat, within 1.5x; ADR 0022).
`--smoke` (centres of 300 and 1,500 delegates, one run) is what CI runs. Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import os
import random
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
    global make_password, call_command, connection, reset_queries, Client, CaptureQueriesContext
    global User, SESSION_KEY, Centre, Membership, RegistrationPrompt, RegistrationType, RoleAssignment
    global Role, role_grant
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

    from accounts.models import User
    from centres.middleware import SESSION_KEY
    from centres.models import Centre, Membership, RegistrationPrompt, RegistrationType, RoleAssignment
    from centres.roles import Role
    from centres.services.roles import role_grant


RUNS = 7
BATCH = 5000
FIRST = ["Grace", "Helen", "Alan", "Priya", "Tom", "David", "Emma", "Rajesh", "Chloe", "Sam", "Aisha", "Mark"]
LAST = [
    f"{stem}{suffix}"
    for stem in ("Smith", "Jones", "Patel", "Okafor", "Marsh", "Raman", "Hughes", "Khan")
    for suffix in ("", "son", "ley", "well", "ford", "field", "ton", "by", "er", "ham", "wood", "en")
]
WARDS = [f"Ward {n}" for n in range(1, 21)]


def build(delegates: int) -> tuple[Centre, User]:
    """The centre BENCH<delegates> (reused when it exists) and its centre manager."""
    code = f"BENCH{delegates}"
    admin_email = f"bench.admin{delegates}@bench.example"
    centre = Centre.objects.filter(code=code).first()
    if centre:
        print(f"Reusing centre {code} with {Membership.objects.for_centre(centre).count()} delegates")
        return centre, User.objects.get(email=admin_email)
    started = time.perf_counter()
    CODE, DELEGATES = code, delegates
    centre = Centre.objects.create(code=CODE, name="Benchmark Teaching Hospitals")
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=WARDS)
    RegistrationPrompt.objects.create(centre=centre, position=2, text="Employee number")
    usable = make_password("benchmark-password-1")
    rng = random.Random(42)  # noqa: S311 - test data
    for start in range(0, DELEGATES, BATCH):
        users = [
            User(
                email=f"delegate{n}@{code.lower()}.bench.example",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                password=usable if rng.random() < 0.8 else f"!unusable{n}",
            )
            for n in range(start, min(start + BATCH, DELEGATES))
        ]
        User.objects.bulk_create(users)
        users = User.objects.filter(email__in=[u.email for u in users]).only("pk", "email")
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    centre=centre,
                    delegate_number=f"BX{user.pk}",  # unique across centres
                    job_group_id=rng.choice([1, 2, 3, 5, 8, 13]),
                    answer1=rng.choice(WARDS),
                    answer2=str(rng.randint(10000, 99999)),
                    is_approved=rng.random() < 0.95,
                    is_active=rng.random() < 0.9,
                    registration_type=rng.choice(list(RegistrationType.values)),
                )
                for user in users
            ]
        )
    # A few hundred administrators, then the person who runs the pages.
    some = list(Membership.objects.for_centre(centre).values_list("user_id", flat=True)[:300])
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=user_id, centre=centre, role=Role.ADMINISTRATOR) for user_id in some]
    )
    staff, _ = User.objects.get_or_create(email="bench.staff@bench.example", defaults={"is_staff": True})
    admin = User.objects.create_user(admin_email, "benchmark-password-1", first_name="Bench")
    Membership.objects.create(
        user=admin, centre=centre, delegate_number=f"BXADMIN{delegates}", registration_type="centre", is_approved=True
    )
    role_grant(user=admin, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    print(f"Built centre {CODE} with {DELEGATES} delegates in {time.perf_counter() - started:.1f} s")
    return centre, admin


def measure(client: Client, label: str, path: str) -> tuple[float, int]:
    client.get(path)  # warm up
    timings = []
    for _ in range(RUNS):
        reset_queries()
        started = time.perf_counter()
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    size = len(response.content)
    print(
        f"{label:<52} median {statistics.median(timings):8.1f} ms  "
        f"(min {min(timings):.1f}, max {max(timings):.1f}; {len(queries)} queries, {size / 1024:.0f} KiB)",
        flush=True,
    )
    return statistics.median(timings), len(queries)


def measure_export(client: Client, label: str, path: str) -> None:
    """The export is a report job; without REDIS_URL it is built in-process when the request
    commits, so asking for it and downloading it is the whole server time."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 302, (path, response.status_code)
        download = client.get(response["Location"] + "download/")
        assert download.status_code == 200, (path, download.status_code)
        size = len(b"".join(download.streaming_content))
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<52} median {statistics.median(timings):8.1f} ms  "
        f"(min {min(timings):.1f}, max {max(timings):.1f}; {size / 1024:.0f} KiB)"
    )


def client_for(centre: Centre, admin: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    return client


def pages(delegates: int, last_link: str) -> list[tuple[str, str]]:
    return [
        ("List, first page", "/centre/delegates/"),
        ("List, first page, newest first", "/centre/delegates/?sort=registered"),
        ("List, last page", last_link),
        ("List, page 2 by its link", "/centre/delegates/?page=2"),
        ("List, search + 2 filters", "/centre/delegates/?q=smith&active=active&password=set"),
        ("List, prompt + admin filter, page 3", "/centre/delegates/?answer1=Ward+7&admin=no&page=3"),
        ("List, delegate number search", f"/centre/delegates/?q=BXADMIN{delegates}"),
    ]


def last_page_link(client: Client) -> str:
    """The "last page" link the first page offers (page numbers, or whatever the list uses)."""
    import re

    body = client.get("/centre/delegates/").content.decode()
    links = re.findall(r'href="(\?[^"]*page=[^"]*)"', body)
    numbered = [(int(m.group(1)), link) for link in links if (m := re.search(r"page=(\d+)", link))]
    return "/centre/delegates/" + max(numbered)[1].replace("&amp;", "&")


def main(argv: list[str] | None = None) -> None:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,50000", help="delegates at the small and the large centre")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (default 7)")
    parser.add_argument("--export", action="store_true", help="also time the Excel export of all delegates")
    parser.add_argument("--smoke", action="store_true", help="centres of 300 and 1,500, one run: for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs = "300,1500", 1
    _django_setup()
    RUNS = args.runs
    small_size, large_size = sorted(int(size) for size in args.sizes.split(","))
    call_command("migrate", verbosity=0)
    print(f"Database {connection.settings_dict['NAME']}; {RUNS} runs each; {load_average()} at start")
    centres = {size: build(size) for size in (small_size, large_size)}
    with connection.cursor() as cursor:  # statistics and visibility map, as autovacuum keeps them
        cursor.execute("VACUUM ANALYZE")
    results: dict[int, list[tuple[str, float, int]]] = {size: [] for size in centres}
    clients = {size: client_for(centre, admin) for size, (centre, admin) in centres.items()}
    lists = {size: pages(size, last_page_link(client)) for size, client in clients.items()}
    # Each page at the small centre then at the large one, so a change in the shared machine's
    # load between the two halves of a run does not show as a ratio.
    for index in range(len(lists[small_size])):
        for size, client in clients.items():
            label, path = lists[size][index]
            results[size].append((label, *measure(client, f"{label} ({size:,})", path)))
    if args.export:
        for size, client in clients.items():
            measure_export(client, f"Export, all {size:,} delegates", "/centre/delegates/export/")
    pairs = [
        Pair(label, small_ms, large_ms, small_queries, large_queries)
        for (label, small_ms, small_queries), (_, large_ms, large_queries) in zip(
            results[small_size], results[large_size], strict=True
        )
    ]
    ratio_table(pairs, small=f"{small_size:,}", large=f"{large_size:,}")


if __name__ == "__main__":
    main()
