"""Benchmark: requests per second and p50/p95/p99 at 1, 4 and 16 clients (issue 12 finding 9).

    .venv/bin/python benchmarks/load.py [--clients 1,4,16] [--duration 20] [--workers 3]
    .venv/bin/python benchmarks/load.py --smoke        # CI: a few seconds per run, 1 and 4 clients
    .venv/bin/python benchmarks/load.py --profile      # cProfile of the role pages, in-process

gunicorn with config.settings.production (collectstatic into a temporary folder first, as the
Dockerfile does) on a free 127.0.0.1 port, the demo data (seed_demo) in its own database, and
locust (benchmarks/locustfile.py, headless, closed loop, no think time) as N clients:
the login page as the floor, then each demo role's main pages (home + every header navigation
link; one role per client, in turn). Loopback only and bounded: each run lasts --duration
seconds; nothing here can be pointed at another host.

Uses DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/platform_loadbench; refuses a
database that is not PostgreSQL or whose name lacks "bench" (benchmarks/database.py). The
client and server share the machine's cores, so the figures are a floor for one host, not a
capacity statement. Not part of the test suite; CI runs --smoke.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import database_prepare  # noqa: E402
from tests.production_server import BIN, ProductionServer, collect_static, production_env  # noqa: E402

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/platform_loadbench"
LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"


def prepare(env: dict, sessions_per_role: int) -> dict:
    """Migrate, load the demo data, and log each LTHT role in (sessions in the database).
    Production requires a second factor of privileged roles: each demo person gets an
    authenticator app (as in real use), so their pages render instead of sending them to set
    one up, and the middleware's check runs as it does for them in production."""
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)  # as the server runs: in-process tasks, in-memory cache
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from centres.management.commands.seed_demo import CENTRES
    from centres.middleware import SESSION_KEY
    from centres.models import Centre

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    spec = CENTRES[0]  # LTHT: one person per role (the learner is also at MPFT: LTHT chosen)
    centre = Centre.objects.get(code=spec["code"])
    roles = []
    for role, first_name, last_name, _ in spec["people"]:
        user = User.objects.get(email=f"{first_name}.{last_name}@{spec['domain']}".lower())
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
        keys = []
        for _ in range(sessions_per_role):  # one per client: no two clients update one session row
            client = Client()
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
            session = client.session
            session[SESSION_KEY] = centre.pk
            session.save()
            keys.append(session.session_key)
        roles.append((role.label if role else "Learner", keys))
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "roles": roles}


def locust_run(url: str, user_class: str, clients: int, duration: int, workdir: Path) -> dict:
    results_path = workdir / f"{user_class}-{clients}.json"
    command = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), user_class,
        "--headless", "--only-summary", "--loglevel", "WARNING",
        "-u", str(clients), "-r", str(clients), "-t", f"{duration}s", "--stop-timeout", "10",
        "--host", url,
    ]  # fmt: skip
    env = {**os.environ, "LOAD_SESSIONS": str(workdir / "sessions.json"), "LOAD_RESULTS": str(results_path)}
    # Our own venv's locust with fixed arguments against our own loopback server.
    run = subprocess.run(command, env=env, check=False, capture_output=True, text=True, timeout=duration + 120)  # noqa: S603
    samples = json.loads(results_path.read_text()) if results_path.exists() else []
    # Each client's start (a home page per role, to find the navigation) is not part of the
    # steady state: measure only what started after the last client had started.
    starting = [sample[3] for sample in samples if ": /" in sample[0]]
    steady_from = max(starting, default=0.0)
    measured = [sample for sample in samples if ": /" not in sample[0] and sample[3] - sample[1] / 1000 >= steady_from]
    if not samples:
        sys.exit(
            f"locust made no requests ({user_class}, {clients} clients):\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
        )
    if not measured:  # a short smoke run may end while its clients are still starting
        measured = [sample for sample in samples if ": /" not in sample[0]] or samples
    times = sorted(sample[1] for sample in measured)
    span = max(sample[3] for sample in measured) - min(sample[3] - sample[1] / 1000 for sample in measured)
    pages: dict[str, list[float]] = {}
    for name, milliseconds, _, _ in measured:
        pages.setdefault(name, []).append(milliseconds)
    return {
        "requests": len(times),
        "failures": sum(1 for sample in samples if sample[2]),  # starting clients too
        "rps": len(times) / span if span > 0 else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "pages": {name: (len(values), percentile(sorted(values), 50)) for name, values in pages.items()},
    }


def percentile(ordered: list[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def warm_up(url: str, sessions: dict, rounds: int) -> None:
    """Every worker compiles its templates on first use: request each role's pages first."""
    import re

    import requests

    headers = {"X-Forwarded-Proto": "https"}
    for _ in range(rounds):
        requests.get(f"{url}/accounts/login/", headers=headers, timeout=60)
        for _, keys in sessions["roles"]:
            cookies = {"Cookie": f"{sessions['cookie_name']}={keys[0]}"}
            home = requests.get(f"{url}/", headers={**headers, **cookies}, timeout=60)
            for page in dict.fromkeys(re.findall(r'nhsuk-header__navigation-link"\s+href="([^"]+)"', home.text)):
                requests.get(url + page, headers={**headers, **cookies}, timeout=60, allow_redirects=False)


def profile(env: dict, sessions: dict) -> None:
    """cProfile of every role page, in this process under the production settings."""
    import cProfile
    import pstats

    from django.test import Client

    os.environ.update(env)
    anonymous = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})  # the login page
    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    paths = ["/accounts/login/"]
    client.cookies[sessions["cookie_name"]] = sessions["roles"][4][1][0]  # centre manager: most pages
    home = client.get("/")
    import re

    paths += ["/", *dict.fromkeys(re.findall(r'nhsuk-header__navigation-link"\s+href="([^"]+)"', home.text))]
    paths.append("/help/")

    def get(path):
        return (anonymous if path == "/accounts/login/" else client).get(path)

    for path in paths:
        for _ in range(3):  # warm
            response = get(path)
        if response.status_code != 200:  # e.g. sent to set up a second factor: not the page
            sys.exit(f"{path} answered {response.status_code}, not the page: nothing to profile")
        started = time.process_time()
        runs = 20
        for _ in range(runs):
            get(path)
        print(f"{path:40} {1000 * (time.process_time() - started) / runs:6.1f} ms CPU per request")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        for path in paths:
            get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile runs 3)")
    parser.add_argument("--smoke", action="store_true", help="CI: 6 s runs at 1 and 4 clients")
    parser.add_argument("--profile", action="store_true", help="cProfile the pages in-process instead")
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.duration = "1,4", 6
    counts = [int(count) for count in args.clients.split(",")]

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    database_prepare(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="platform-load-"))
    static_root = workdir / "static"
    env = production_env(
        database_url=database_url,
        static_root=static_root,
        media_root=workdir / "media",
        LOG_LEVEL="WARNING",
        # The sessions are made beforehand with a password only; with the second factor required
        # (production's default) every privileged page would answer a redirect to its set-up.
        MFA_REQUIRED_FOR_PRIVILEGED="false",
    )
    started = time.monotonic()
    sessions = prepare(env, sessions_per_role=max(counts))
    print(f"database ready after {time.monotonic() - started:.0f} s", flush=True)
    (workdir / "sessions.json").write_text(json.dumps(sessions))
    collect_static(static_root)
    if args.profile:
        profile(env, sessions)
        return 0
    results = {}
    with ProductionServer(env, workers=args.workers, log_path=workdir / "gunicorn.log") as server:
        if not args.smoke:  # the smoke checks that the scenario runs, not the figures
            warm_up(server.url, sessions, rounds=args.workers)
            print(f"warmed up after {time.monotonic() - started:.0f} s", flush=True)
        for user_class in ("LoginPage", "RolePages"):
            for clients in counts:
                results[user_class, clients] = locust_run(server.url, user_class, clients, args.duration, workdir)
        log = server.log()

    print(f"\nLoad: gunicorn {args.workers} workers, production settings, {os.cpu_count()} CPUs shared with locust")
    print(f"{'scenario':22} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for (user_class, clients), result in results.items():
        label = "login page (floor)" if user_class == "LoginPage" else "role main pages"
        print(
            f"{label:22} {clients:>7} {result['requests']:>8} {result['rps']:>7.1f} "
            f"{result['p50']:>7.0f} {result['p95']:>7.0f} {result['p99']:>7.0f}"
        )
    print("\nMedian per page at 1 client (ms):")
    floor_p50 = results["LoginPage", counts[0]]["p50"]
    for name, (count, p50) in sorted(results["RolePages", counts[0]]["pages"].items(), key=lambda item: -item[1][1]):
        print(f"  {name:45} {p50:6.0f}  ({p50 / floor_p50:.1f}x floor, {count} requests)")
    print(f"\n({time.monotonic() - started:.0f} s in all; files in {workdir})")

    failures = {key: result["failures"] for key, result in results.items() if result["failures"]}
    if failures or "Internal Server Error" in log:
        print(f"FAILED: failed requests {failures}; see {workdir / 'gunicorn.log'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
