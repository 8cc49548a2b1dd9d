"""Benchmark: the delegate list (C6) and its Excel export at a centre with 50,000 delegates.

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python benchmarks/delegate_list.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_delegates ... (same command)

Migrates the database, builds the centre once with bulk_create (a later run reuses it), then
requests each page several times with Django's test client and prints the median server
time and the number of queries. Not part of the test suite.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")  # no per-query bookkeeping, as in production

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from centres.middleware import SESSION_KEY  # noqa: E402
from centres.models import Centre, Membership, RegistrationPrompt, RegistrationType, RoleAssignment  # noqa: E402
from centres.roles import Role  # noqa: E402
from centres.services import role_grant  # noqa: E402

DELEGATES = int(os.environ.get("BENCH_DELEGATES", "50000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
CODE = "BENCH"
BATCH = 5000
FIRST = ["Grace", "Helen", "Alan", "Priya", "Tom", "David", "Emma", "Rajesh", "Chloe", "Sam", "Aisha", "Mark"]
LAST = [
    f"{stem}{suffix}"
    for stem in ("Smith", "Jones", "Patel", "Okafor", "Marsh", "Raman", "Hughes", "Khan")
    for suffix in ("", "son", "ley", "well", "ford", "field", "ton", "by", "er", "ham", "wood", "en")
]
WARDS = [f"Ward {n}" for n in range(1, 21)]


def build() -> tuple[Centre, User]:
    centre = Centre.objects.filter(code=CODE).first()
    if centre and Membership.objects.for_centre(centre).count() >= DELEGATES:
        print(f"Reusing centre {CODE} with {Membership.objects.for_centre(centre).count()} delegates")
        return centre, User.objects.get(email="bench.admin@bench.example")
    if centre:
        sys.exit(f"Centre {CODE} exists with fewer than {DELEGATES} delegates: use a fresh database")
    started = time.perf_counter()
    centre = Centre.objects.create(code=CODE, name="Benchmark Teaching Hospitals")
    RegistrationPrompt.objects.create(centre=centre, position=1, text="Ward", options=WARDS)
    RegistrationPrompt.objects.create(centre=centre, position=2, text="Employee number")
    usable = make_password("benchmark-password-1")
    rng = random.Random(42)  # noqa: S311 - test data
    for start in range(0, DELEGATES, BATCH):
        users = [
            User(
                email=f"delegate{n}@bench.example",
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
                    delegate_number=f"BX{user.pk}",
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
    staff = User.objects.create_user("bench.staff@bench.example", is_staff=True)
    admin = User.objects.create_user("bench.admin@bench.example", "benchmark-password-1", first_name="Bench")
    Membership.objects.create(
        user=admin, centre=centre, delegate_number="BXADMIN", registration_type="centre", is_approved=True
    )
    role_grant(user=admin, centre=centre, role=Role.CENTRE_MANAGER, granted_by=staff)
    print(f"Built centre {CODE} with {DELEGATES} delegates in {time.perf_counter() - started:.1f} s")
    return centre, admin


def measure(client: Client, label: str, path: str) -> None:
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
        f"(min {min(timings):.1f}, max {max(timings):.1f}; {len(queries)} queries, {size / 1024:.0f} KiB)"
    )


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


def main() -> None:
    call_command("migrate", verbosity=0)
    centre, admin = build()
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[SESSION_KEY] = centre.pk
    session.save()
    print(f"Database: {connection.vendor}; {RUNS} runs each")
    measure(client, "List, first page", "/centre/delegates/")
    measure(client, "List, search + 2 filters", "/centre/delegates/?q=smith&active=active&password=set")
    measure(
        client,
        "List, search + 2 filters, newest first",
        "/centre/delegates/?q=smith&active=active&password=set&sort=registered",
    )
    measure(client, "List, prompt + admin filter, page 3", "/centre/delegates/?answer1=Ward+7&admin=no&page=3")
    measure(client, "List, last page", f"/centre/delegates/?page={DELEGATES // 25}")
    measure(client, "List, delegate number search", "/centre/delegates/?q=BXADMIN")
    measure_export(client, "Export, search + 2 filters", "/centre/delegates/export/?q=smith&active=active&password=set")
    measure_export(client, f"Export, all {DELEGATES} delegates", "/centre/delegates/export/")


if __name__ == "__main__":
    main()
