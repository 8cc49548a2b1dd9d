"""Benchmark: the ESR feed (issue 15 S7) validated and committed at two sizes.

    .venv/bin/python benchmarks/esr_feed.py [--rows 5000,50000] [--runs 1] [--smoke]

For each size a feed of `rows` rows (one credential per row, five credentials per person,
one of them issued by hand) is read and validated (the preview), then validated and
committed (all new staff and credentials, with their history, in one transaction that is
rolled back so each run writes the same rows), beside its floor in the same run: parsing
the same CSV with `csv.reader` and `bulk_create` of the same staff and credentials with no
checks. Prints time and Python peak memory (tracemalloc) of every step; the target is flat
memory (the peak at the large size within 1.5x of the small one: the file is streamed in
chunks) and time within a small factor of the floor. `--smoke` (50 and 500 rows) is what
CI runs.

Uses DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/platform_bench; refuses any
database that is not PostgreSQL or whose name lacks "bench". It only touches the centre
ESRBENCH (deleted at the start if a crashed run left it, and at the end) and its rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bulk_upload import measure  # noqa: E402
from benchmarks.database import database_prepare  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/platform_bench"
CENTRE_CODE = "ESRBENCH"
CODES = ["dbs-basic", "cstf-fire-safety", "cstf-information-governance", "right-to-work", "identity-check"]
MANUAL = "dbs-basic"
HEADING = (
    "AssignmentNumber,FirstName,LastName,Email,StaffGroup,JobRole,EmploymentType,StartDate,"
    "CredentialCode,Reference,AwardedDate,ExpiryDate"
)
FIRST = ["Grace", "Helen", "Alan", "Priya", "Tom", "Zoë", "Oluwaseun", "Mary-Jane", "Wojciech", "Mei"]
LAST = ["Smith", "Patel", "Okafor", "O'Brien", "Nowak", "Nguyen", "Da Silva", "Brontë", "Evans", "Li"]


def feed_bytes(rows: int) -> bytes:
    """`rows` rows of new staff, five credentials each (no Django needed)."""
    lines = [HEADING]
    for n in range(rows):
        person, code = divmod(n, len(CODES))
        first, last = FIRST[person % len(FIRST)], LAST[(person // len(FIRST)) % len(LAST)]
        kind = "New starter" if person % 7 == 0 else "Current"
        lines.append(
            f'{60_000_000 + person},{first},"{last}",p{person}@bench.example,Administrative and Clerical,,{kind},'
            f"2020-01-01,{CODES[code]},REF{n},2025-0{1 + code}-15,"
        )
    return ("\n".join(lines) + "\n").encode()


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="5000,50000", help="the two feed sizes (default 5000,50000)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per step (default 1)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (50,500), what CI runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rows = "50,500"
    return args


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    sizes = sorted(int(size) for size in args.rows.split(","))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_prepare(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("EMAIL_URL", "locmem://")

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from centres.models import AuditEvent, Centre
    from reporting.imports import import_commit, import_preview
    from staffpassport.esr.kind import KIND
    from staffpassport.esr.plan import CHUNK_ROWS
    from staffpassport.models import AutoIssuanceSetting, Credential, StaffCredential, StaffGroup, StaffMember

    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql"

    def remove_centre() -> None:
        for centre in Centre.objects.filter(code=CENTRE_CODE):
            StaffCredential.history.model.objects.filter(centre_id=centre.pk).delete()
            StaffCredential.objects.filter(centre=centre).delete()
            StaffMember.objects.filter(centre=centre).delete()
            AutoIssuanceSetting.objects.filter(centre=centre).delete()
            AuditEvent.objects.filter(centre=centre).delete()
            centre.delete()

    remove_centre()
    centre = Centre.objects.create(code=CENTRE_CODE, name="ESR benchmark trust")
    AutoIssuanceSetting.objects.create(centre=centre, credential=Credential.objects.get(code=MANUAL), automatic=False)
    group = StaffGroup.objects.get(name="Administrative and Clerical")
    credentials = {credential.code: credential for credential in Credential.objects.filter(code__in=CODES)}

    def rolled_back(action):
        def run():
            with transaction.atomic():
                action()
                transaction.set_rollback(True)

        return run

    def floor(data: bytes) -> None:
        """The same rows parsed and written with no checks, streamed in the import's chunks
        (one int kept per person): the least the import could cost, in time and memory."""
        now = timezone.now()
        reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
        next(reader)
        people: dict[str, int] = {}  # assignment number -> the saved person's id
        while chunk := list(islice(reader, CHUNK_ROWS)):
            new = {}
            for row in chunk:
                if row[0] not in people and row[0] not in new:
                    new[row[0]] = StaffMember(
                        centre=centre, esr_assignment_number=row[0], first_name=row[1], last_name=row[2],
                        email=row[3], staff_group=group, employment_type="current",
                    )  # fmt: skip
            StaffMember.objects.bulk_create(list(new.values()), batch_size=1000)
            people.update((number, member.pk) for number, member in new.items())
            StaffCredential.objects.bulk_create(
                [
                    StaffCredential(
                        centre=centre,
                        staff_member_id=people[row[0]],
                        credential=credentials[row[8]],
                        reference=row[9],
                        status="issued" if row[8] != MANUAL else "waiting",
                        issued_at=now,
                    )
                    for row in chunk
                ],
                batch_size=1000,
            )

    results = {}
    for size in sizes:
        data = feed_bytes(size)
        print(f"\n{size:,} rows ({len(data) / 1024 / 1024:.1f} MB)", flush=True)

        def validate(data=data):
            preview = import_preview(KIND, file=io.BytesIO(data), centre=centre)
            assert not preview.has_errors, preview.error_list()[:3]
            return preview

        def commit(data=data, size=size):
            preview = validate(data)
            counts = import_commit(KIND, preview=preview, centre=centre, file_name="bench.csv")
            assert counts.new_credentials == size, counts

        floor_label = "floor: csv.reader + bulk_create (rolled back)"
        warm_up = size == sizes[0]  # caches and the database's buffers: once is enough
        results[size] = {
            "validate": measure("validate (preview)", validate, runs=args.runs, warm_up=warm_up),
            "commit": measure("validate + commit (rolled back)", rolled_back(commit), runs=args.runs, warm_up=warm_up),
            "floor": measure(floor_label, rolled_back(lambda d=data: floor(d)), runs=args.runs, warm_up=warm_up),
        }
    remove_centre()

    small, large = sizes[0], sizes[-1]
    print(f"\n{'step':<34} {'rows':>7} {'median s':>9} {'peak MB':>8} {'x floor':>8}")
    for size in sizes:
        floor_time = results[size]["floor"].median
        for key in ("validate", "commit", "floor"):
            result = results[size][key]
            ratio = f"{result.median / floor_time:.1f}x" if key != "floor" else "(floor)"
            print(f"{result.label:<34.34} {size:>7,} {result.median:>9.2f} {result.peak_mb:>8.1f} {ratio:>8}")
    for key in ("validate", "commit"):
        growth = results[large][key].peak_mb / max(results[small][key].peak_mb, 0.01)
        print(
            f"peak memory of {key}: {results[small][key].peak_mb:.1f} MB at {small:,} rows, "
            f"{results[large][key].peak_mb:.1f} MB at {large:,} rows ({growth:.2f}x for {large / small:.0f}x rows)"
        )


if __name__ == "__main__":
    main()
