"""Benchmark: bulk upload (issue 4 U2-U4; issue 12 finding 7) at a small and a large centre.

    .venv/bin/python benchmarks/bulk_upload.py [--rows 1000] [--centre-sizes 0,50000] [--runs 3]
        [--floors] [--profile] [--smoke]

The same file of `--rows` new delegates is read and validated, committed, and committed with
welcome emails at a centre that already has the first `--centre-sizes` delegates, then the
second (background delegates bulk-inserted, none of them in the file). The commits run in a
transaction that is rolled back, so each run writes the same rows and the emails' delivery
(the worker's job, after commit) is not timed. Prints, from one run, each step at both sizes
with the ratio large / small (target: flat, within 1.5x) and the welcome-email commit against
the commit without. `--floors` adds the comparison with openpyxl parsing and a bare
`bulk_create` (ADR 0008) and django-import-export's bulk import of the same file (ADR 0031);
`--smoke` (40 rows, centres of 0 and 400, one run, with the floors) is what CI runs.

Uses DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/platform_bench; creates that
database if it does not exist and migrates it. SAFETY: it refuses any database that is not
PostgreSQL or whose name does not contain "bench", so it cannot run against real data. Inside
that database it only touches what it creates: the centre BULKBENCH (deleted at the start if
a crashed run left it, and at the end), delegate accounts whose email ends in
".bulkbench.example" or "@bg-bulkbench.example", and the uploader bench.uploader@bulkbench.example.

Each step runs `--runs` times (wall time, median reported), then once more with tracemalloc on
for the Python peak (tracemalloc slows Python code, so it is off during the timed runs) and
with the kernel's RSS high-water mark reset (/proc/self/clear_refs) for the process's RSS
growth. Not part of the test suite; the workbook generator is
(`centres/tests/test_bulk_benchmark_workbook.py` checks its rows validate without errors).
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import database_prepare  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/platform_bench"
CENTRE_CODE = "BULKBENCH"
EMAIL_SUFFIX = ".bulkbench.example"  # every generated delegate's address ends with this
UPLOADER_EMAIL = "bench.uploader@bulkbench.example"
BACKGROUND_SUFFIX = "@bg-bulkbench.example"  # delegates already at the centre (never in the file)

# -- the workbook generator (no Django needed; the test imports it) --------------------------

FIRST = [
    "Grace", "Helen", "Alan", "Priya", "Tom", "David", "Emma", "Rajesh", "Chloe", "Sam", "Aisha", "Mark",
    "Siobhán", "Zoë", "Oluwaseun", "Mary-Jane", "Wojciech", "Ngozi", "Fatima", "Connor", "Mei", "Anna",
]  # fmt: skip
LAST = [
    "Smith", "Jones", "Patel", "Okafor", "Marsh", "Raman", "Hughes", "Khan", "O'Brien", "Smith-Jones",
    "Nowak", "Adeyemi", "Nguyen", "MacDonald", "Da Silva", "Brontë", "Williams", "Chowdhury", "Evans", "Li",
]  # fmt: skip
DOMAINS = [f"{trust}{EMAIL_SUFFIX}" for trust in ("ltht-nhs", "nhs-net", "bradford-nhs", "york-nhs")]
JOB_GROUPS = [1, 1, 1, 1, 2, 3, 3, 4, 4, 5, 6, 10, 13, 17, 19]  # nursing-heavy, like a real trust
WARDS = [f"Ward {n}" for n in range(1, 31)] + ["Theatres", "Outpatients", "Emergency Department"]
SITES = ["St James's", "Leeds General Infirmary", "Chapel Allerton", "Wharfedale", "Seacroft"]
# (position, text, is_mandatory, options): a mandatory list, a free-text number, an optional list.
PROMPTS = [
    (1, "Ward or department", True, WARDS),
    (2, "Employee number", False, []),
    (3, "Main site", False, SITES),
]


def _ascii(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and (c.isalnum() or c in "'-")) or "x"


def delegate_rows(count: int, *, seed: int = 2026) -> list[dict]:
    """`count` new delegates (DelegateID blank) valid for a centre with `PROMPTS`: unique
    emails, varied names, job groups, prompt answers, a few aliases and inactive delegates, half
    with a PRN. Values have the types Excel gives (bool, int, str)."""
    rng = random.Random(seed)  # noqa: S311 - test data
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        has_prn = n % 2 == 0
        prn = ""
        if has_prn:  # NMC PIN (8 characters) or GMC number (7 digits)
            if rng.random() < 0.7:
                letters = rng.choice("ABCDEFGHIJ"), rng.choice("ENOS")
                prn = f"{rng.randint(0, 99):02d}{letters[0]}{rng.randint(0, 9999):04d}{letters[1]}"
            else:
                prn = str(rng.randint(1_000_000, 9_999_999))
        rows.append(
            {
                "LastName": last,
                "FirstName": first,
                "DelegateID": "",
                "AliasID": f"ESR{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.3 else "",
                "JobGroupID": rng.choice(JOB_GROUPS),
                "Answer1": rng.choice(WARDS),
                "Answer2": str(rng.randint(100_000, 999_999)) if rng.random() < 0.6 else "",
                "Answer3": rng.choice(SITES) if rng.random() < 0.8 else "",
                "Answer4": "",
                "Answer5": "",
                "Answer6": "",
                "Active": rng.random() < 0.95,
                "EmailAddress": f"{_ascii(first)}.{_ascii(last)}{n}@{rng.choice(DOMAINS)}",
                "HasPRN": True if has_prn else rng.choice([False, ""]),
                "PRN": prn,
            }
        )
    return rows


def numbered_rows(rows: list[dict], numbers: dict[str, str]) -> list[dict]:
    """The same delegates with their DelegateIDs, unchanged (a downloaded workbook). Without
    them the rows would name delegates' emails as new rows: an error (the DLS rule)."""
    return [dict(row, DelegateID=numbers[row["EmailAddress"].lower()]) for row in rows]


def changed_rows(rows: list[dict], numbers: dict[str, str], *, seed: int = 7) -> list[dict]:
    """The same delegates, as an administrator would edit a downloaded workbook: every row
    carries its DelegateID (`numbers` maps lower-case email to it) and differs in at least one
    column (ward always; some job groups, surnames and active flags)."""
    rng = random.Random(seed)  # noqa: S311 - test data
    changed = []
    for row in rows:
        new = dict(row, DelegateID=numbers[row["EmailAddress"].lower()])
        new["Answer1"] = WARDS[(WARDS.index(row["Answer1"]) + 1) % len(WARDS)]
        if rng.random() < 0.3:
            new["JobGroupID"] = 4 if row["JobGroupID"] != 4 else 1
        if rng.random() < 0.1:
            new["LastName"] = f"{row['LastName']}-Hughes"
        if rng.random() < 0.05:
            new["Active"] = not row["Active"]
        changed.append(new)
    return changed


def workbook_bytes(rows: list[dict]) -> bytes:
    """A DelegatesBulkUpload .xlsx of `rows` (openpyxl write-only mode)."""
    from openpyxl import Workbook

    from centres.bulk.columns import COLUMNS, DELEGATES_SHEET

    book = Workbook(write_only=True)
    sheet = book.create_sheet(DELEGATES_SHEET)
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[name] for name in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def prompts_create(centre) -> None:
    """The registration prompts `delegate_rows` answers."""
    from centres.models import RegistrationPrompt

    for position, text, mandatory, options in PROMPTS:
        RegistrationPrompt.objects.create(
            centre=centre, position=position, text=text, is_mandatory=mandatory, options=options
        )


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Measurement:
    label: str
    times: list[float]
    cpu: list[float]  # this process's CPU time (PostgreSQL's work is not in it)
    peak_mb: float  # tracemalloc peak of the traced run
    rss_mb: float | None  # RSS high-water growth of the traced run

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def _rss_reset() -> float | None:
    """Reset the kernel's peak-RSS counter; returns the current RSS in MB (None if unsupported)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return _status_mb("VmRSS")
    except OSError:
        return None


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    raise OSError(key)


def measure(
    label: str,
    action: Callable[[], object],
    *,
    runs: int,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
    warm_up: bool = True,
) -> Measurement:
    times, cpu = [], []
    if warm_up:  # templates compiled, caches and the database's buffers filled
        if before:
            before()
        action()
        if after:
            after()
    for _ in range(runs):
        if before:
            before()
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if after:
            after()
    if before:
        before()
    gc.collect()
    rss_start = _rss_reset()
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = _status_mb("VmHWM") - rss_start if rss_start is not None else None
    if after:
        after()
    result = Measurement(label, times, cpu, peak / 1024 / 1024, rss)
    print(
        f"  {label}: median {result.median:.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}), "
        f"CPU {result.cpu_median:.2f} s, peak {result.peak_mb:.0f} MB",
        flush=True,
    )
    return result


# -- the database ----------------------------------------------------------------------------


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per step (default 3)")
    parser.add_argument("--rows", type=int, default=1_000, help="delegate rows in the file (default 1,000)")
    parser.add_argument(
        "--centre-sizes",
        default="0,50000",
        help="delegates already at the centre, small and large (default 0,50000): the same file is "
        "validated and committed at each",
    )
    parser.add_argument(
        "--floors", action="store_true", help="also the openpyxl / bulk_create floors and the all-updates file"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run: CI checks the script still works")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one commit of new rows")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rows, args.centre_sizes, args.runs, args.floors = 40, "0,400", 1, True
    return args


def _ratio_pairs(by_size: dict[int, dict[str, Measurement]], sizes: list[int], pair_class) -> list:
    """Each step at the small and the large centre, then without and with welcome emails."""
    small, large = by_size[sizes[0]], by_size[sizes[-1]]
    pairs = [pair_class(small[key].label, small[key].median * 1000, large[key].median * 1000) for key in STEPS]
    for size in (sizes[0], sizes[-1]):
        pairs.append(
            pair_class(
                f"welcome emails: commit without / with, centre of {size:,}",
                by_size[size]["commit"].median * 1000,
                by_size[size]["welcome"].median * 1000,
                compared=False,
            )
        )
    return pairs


def _profile(action: Callable[[], object]) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(action)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


STEPS = ("validate", "commit", "welcome")


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    sizes = sorted(int(size) for size in args.centre_sizes.split(","))

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_prepare(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DEBUG", "0")  # no per-query bookkeeping, as in production
    os.environ.setdefault("EMAIL_URL", "locmem://")

    import django

    django.setup()

    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import User
    from benchmarks.scaling import Pair, load_average, ratio_table
    from centres.bulk.reading import read_workbook
    from centres.bulk.saving import commit
    from centres.bulk.validation import NEW, validate
    from centres.models import AuditEvent, Centre, Membership, RegistrationType, WelcomeLink
    from notifications.models import OutboundEmail

    call_command("migrate", verbosity=0)
    assert connection.vendor == "postgresql"
    tables = [
        User._meta.db_table,
        EmailAddress._meta.db_table,
        Membership._meta.db_table,
        WelcomeLink._meta.db_table,
        OutboundEmail._meta.db_table,
        AuditEvent._meta.db_table,
    ]

    def wipe() -> None:
        """Delete what an upload (or the floor) created, then vacuum so the next run starts alike.
        The centre's background delegates (BACKGROUND_SUFFIX) stay."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Membership._meta.db_table} WHERE user_id IN "  # noqa: S608 - our table names
                f"(SELECT id FROM {User._meta.db_table} WHERE email LIKE %s)",
                ["%" + EMAIL_SUFFIX],
            )
            cursor.execute(
                f"DELETE FROM {EmailAddress._meta.db_table} WHERE user_id IN "  # noqa: S608
                f"(SELECT id FROM {User._meta.db_table} WHERE email LIKE %s)",
                ["%" + EMAIL_SUFFIX],
            )
            cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE email LIKE %s", ["%" + EMAIL_SUFFIX])  # noqa: S608
        vacuum()

    def vacuum() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")

    def rolled_back(action: Callable[[], object]) -> None:
        """`action` in a transaction that is then rolled back (commit's own becomes a savepoint,
        so nothing is queued after commit: the worker's delivery of the emails is not timed)."""
        with transaction.atomic():
            action()
            transaction.set_rollback(True)

    def teardown() -> None:
        centre = Centre.objects.filter(code=CENTRE_CODE).first()
        if centre is not None:
            WelcomeLink.objects.for_centre(centre).delete()
            Membership.objects.for_centre(centre).delete()
        OutboundEmail.objects.filter(centre_code=CENTRE_CODE).delete()
        EmailAddress.objects.filter(user__email__endswith=BACKGROUND_SUFFIX).delete()
        User.objects.filter(email__endswith=BACKGROUND_SUFFIX).delete()
        wipe()
        AuditEvent.objects.filter(centre__code=CENTRE_CODE).delete()  # our own centre's events only
        Centre.objects.filter(code=CENTRE_CODE).delete()
        User.objects.filter(email=UPLOADER_EMAIL).delete()

    def background_grow(centre, *, to: int) -> None:
        """Delegates already at the centre, none of them in the file: bulk-inserted."""
        have = Membership.objects.for_centre(centre).count()
        rng = random.Random(to)  # noqa: S311 - test data
        for start in range(have, to, 5000):
            stop = min(start + 5000, to)
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bg{n}{BACKGROUND_SUFFIX}",
                        first_name=rng.choice(FIRST),
                        last_name=rng.choice(LAST),
                        password="!",  # noqa: S106 - unusable, as bulk accounts have
                    )
                    for n in range(start, stop)
                ]
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=user,
                        centre=centre,
                        delegate_number=f"BG{n}",
                        registration_type=RegistrationType.BULK,
                        is_approved=True,
                        job_group_id=rng.choice(JOB_GROUPS),
                        answer1=rng.choice(WARDS),
                    )
                    for n, user in zip(range(start, stop), users, strict=True)
                ]
            )
        vacuum()

    teardown()  # what a crashed run left behind
    centre = Centre.objects.create(code=CENTRE_CODE, name="Bulk Upload Benchmark Hospitals")
    prompts_create(centre)
    uploader = User.objects.create_user(UPLOADER_EMAIL, first_name="Bench", last_name="Uploader")
    try:
        print(
            f"PostgreSQL {connection.pg_version}, database {connection.settings_dict['NAME']}; "
            f"{args.rows:,} rows, centre sizes {', '.join(f'{s:,}' for s in sizes)}, {args.runs} runs per step; "
            f"{load_average()} at start",
            flush=True,
        )
        started = time.perf_counter()
        rows = delegate_rows(args.rows)
        new_file = workbook_bytes(rows)
        print(f"Generated the workbook in {time.perf_counter() - started:.1f} s ({len(new_file) / 1024:.0f} KiB)")

        def read_and_validate(data: bytes):
            return validate(centre=centre, rows=read_workbook(io.BytesIO(data)))

        def commit_of(preview, *, welcome: bool = False):
            return commit(
                centre=centre, preview=preview, uploaded_by=uploader, file_name="bench.xlsx", welcome_emails=welcome
            )

        by_size: dict[int, dict[str, Measurement]] = {}
        for size in sizes:
            started = time.perf_counter()
            background_grow(centre, to=size)
            print(
                f"\nCentre with {size:,} delegates already (built in {time.perf_counter() - started:.1f} s):",
                flush=True,
            )
            results = by_size[size] = {}
            results["validate"] = measure(
                f"read_workbook + validate ({args.rows:,} new)", lambda: read_and_validate(new_file), runs=args.runs
            )
            preview = read_and_validate(new_file)
            assert not preview.has_errors, preview.summary()["errors"][:3]
            assert preview.count(NEW) == args.rows, preview.summary()
            results["commit"] = measure(
                f"commit ({args.rows:,} new, rolled back)",
                lambda preview=preview: rolled_back(lambda: commit_of(preview)),
                runs=args.runs,
                after=vacuum,
            )
            results["welcome"] = measure(
                f"commit ({args.rows:,} new + welcome emails, rolled back)",
                lambda preview=preview: rolled_back(lambda: commit_of(preview, welcome=True)),
                runs=args.runs,
                after=vacuum,
            )
            # The emails and links really are written (then rolled back with the rest).
            with transaction.atomic():
                outcome = commit_of(preview, welcome=True)
                links = WelcomeLink.objects.for_centre(centre).filter(membership__in=outcome.created).count()
                assert links == args.rows, (links, args.rows)
                transaction.set_rollback(True)

        if args.profile:
            _profile(lambda: rolled_back(lambda: commit_of(read_and_validate(new_file), welcome=True)))
        pairs = _ratio_pairs(by_size, sizes, Pair)
        if args.floors:
            floors(args, centre, new_file, read_and_validate, commit_of, rolled_back, wipe, vacuum)
    finally:
        teardown()
    print("\nSmall and large: the centre's size for the first three lines; without and with welcome emails below.")
    ratio_table(pairs, small="small", large="large")


def import_export_importer(centre) -> Callable[[bytes], None]:
    """django-import-export's bulk import of the same workbook (ADR 0031), set up as its "Bulk
    imports" documentation advises: `use_bulk` with batches of 1,000, no diffs, the cached
    instance loader, and foreign-key widgets that read their table once instead of per row.
    A row spans two models, so two resources pass over the one Dataset: accounts, then
    memberships (DelegateIDs reserved in one block first, as ours does). It does the least an
    import must: no account-ownership rule, no prompt or PRN checks, no cross-row checks, no
    allauth email rows, no audit; so its figure is a lower bound for an import-export importer."""
    from import_export import fields, resources, widgets
    from import_export.formats.base_formats import XLSX
    from import_export.instance_loaders import CachedInstanceLoader

    from accounts.models import User
    from centres.models import JobGroup, Membership, RegistrationType
    from centres.services.memberships import delegate_numbers_allocate

    class TableWidget(widgets.ForeignKeyWidget):
        """A foreign key looked up in `table` (value -> object), read once per import."""

        table: dict = {}

        def clean(self, value, row=None, **kwargs):
            return None if value in (None, "") else self.table[str(value)]

    class BulkMeta:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        instance_loader_class = CachedInstanceLoader

    class AccountResource(resources.ModelResource):
        email = fields.Field(attribute="email", column_name="EmailAddress")
        first_name = fields.Field(attribute="first_name", column_name="FirstName")
        last_name = fields.Field(attribute="last_name", column_name="LastName")

        class Meta(BulkMeta):
            model = User
            fields = ["email", "first_name", "last_name"]
            import_id_fields = ["email"]

        def init_instance(self, row=None):
            return User(password="!")  # noqa: S106 - unusable, as bulk accounts have

    class DelegateResource(resources.ModelResource):
        delegate_number = fields.Field(attribute="delegate_number", column_name="DelegateID")
        user = fields.Field(attribute="user", column_name="EmailAddress", widget=TableWidget(User, field="email"))
        job_group = fields.Field(attribute="job_group", column_name="JobGroupID", widget=TableWidget(JobGroup))
        alias_id = fields.Field(attribute="alias_id", column_name="AliasID", widget=widgets.CharWidget())
        is_active = fields.Field(attribute="is_active", column_name="Active", widget=widgets.BooleanWidget())
        has_prn = fields.Field(attribute="has_prn", column_name="HasPRN", widget=widgets.BooleanWidget())
        prn = fields.Field(attribute="prn", column_name="PRN", widget=widgets.CharWidget())
        answer1 = fields.Field(attribute="answer1", column_name="Answer1", widget=widgets.CharWidget())
        answer2 = fields.Field(attribute="answer2", column_name="Answer2", widget=widgets.CharWidget())
        answer3 = fields.Field(attribute="answer3", column_name="Answer3", widget=widgets.CharWidget())

        class Meta(BulkMeta):
            model = Membership
            fields = ["delegate_number", "user", "job_group", "alias_id", "is_active", "has_prn", "prn"]
            fields += ["answer1", "answer2", "answer3"]
            import_id_fields = ["delegate_number"]

        def init_instance(self, row=None):
            return Membership(centre=centre, registration_type=RegistrationType.BULK, is_approved=True)

    def import_file(data: bytes) -> None:
        dataset = XLSX().create_dataset(data)
        names = list(zip(dataset["FirstName"], dataset["LastName"], strict=True))
        del dataset["DelegateID"]
        dataset.append_col(delegate_numbers_allocate(names=names), header="DelegateID")
        _imported(AccountResource(), dataset)
        delegates = DelegateResource()
        delegates.fields["user"].widget.table = {
            user.email: user for user in User.objects.filter(email__in=dataset["EmailAddress"])
        }
        delegates.fields["job_group"].widget.table = {str(group.pk): group for group in JobGroup.objects.all()}
        _imported(delegates, dataset)

    return import_file


def _imported(resource, dataset) -> None:
    result = resource.import_data(dataset, use_transactions=True)
    assert not result.has_errors(), [row.errors for row in result.rows][:3]
    assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows][:3]
    assert result.totals["new"] == len(dataset), result.totals


def floors(args, centre, new_file, read_and_validate, commit_of, rolled_back, wipe, vacuum) -> None:
    """The importer against its floors: openpyxl read-only parsing, and that parse plus
    `bulk_create` of minimal User + Membership rows; then the same file again (all unchanged)
    and an edited download (all updates)."""
    from openpyxl import load_workbook

    from accounts.models import User
    from centres.bulk.columns import COLUMNS, DELEGATES_SHEET
    from centres.bulk.validation import UNCHANGED, UPDATE
    from centres.models import Membership, RegistrationType

    def parse_floor(data: bytes) -> list[list]:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet_rows = book[DELEGATES_SHEET].iter_rows(values_only=True)
            next(sheet_rows)
            return [list(values) for values in sheet_rows]
        finally:
            book.close()

    position = {name: COLUMNS.index(name) for name in COLUMNS}

    def write_floor(data: bytes) -> None:
        parsed = parse_floor(data)
        users = User.objects.bulk_create(
            [
                User(
                    email=values[position["EmailAddress"]].lower(),
                    first_name=values[position["FirstName"]],
                    last_name=values[position["LastName"]],
                    password="!",  # noqa: S106 - an unusable password, as bulk accounts have
                )
                for values in parsed
            ],
            batch_size=1000,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    centre=centre,
                    delegate_number=f"BF{k}",
                    registration_type=RegistrationType.BULK,
                    is_approved=True,
                    alias_id=values[position["AliasID"]] or "",
                    job_group_id=values[position["JobGroupID"]],
                    **{f"answer{n}": values[position[f"Answer{n}"]] or "" for n in range(1, 7)},
                    is_active=values[position["Active"]],
                    has_prn=values[position["HasPRN"]] if isinstance(values[position["HasPRN"]], bool) else None,
                    prn=values[position["PRN"]] or "",
                )
                for k, (user, values) in enumerate(zip(users, parsed, strict=True))
            ],
            batch_size=1000,
        )

    print("\nFloors (at the large centre):", flush=True)
    results: dict[str, Measurement] = {}
    results["parse"] = measure("floor: openpyxl read-only parse", lambda: parse_floor(new_file), runs=args.runs)
    results["validate"] = measure(
        "ours: read_workbook + validate (all new)", lambda: read_and_validate(new_file), runs=args.runs
    )
    preview = read_and_validate(new_file)
    results["write"] = measure(
        "floor: parse + bulk_create User + Membership", lambda: write_floor(new_file), runs=args.runs, after=wipe
    )
    results["commit"] = measure(
        f"ours: commit ({args.rows:,} new)", lambda: commit_of(preview), runs=args.runs, after=wipe
    )
    import_with_import_export = import_export_importer(centre)
    results["import_export"] = measure(
        f"import-export: bulk import ({args.rows:,} new)",
        lambda: import_with_import_export(new_file),
        runs=args.runs,
        after=wipe,
    )
    commit_of(preview)
    numbers = dict(
        Membership.objects.for_centre(centre)
        .filter(user__email__endswith=EMAIL_SUFFIX)
        .values_list("user__email", "delegate_number")
        .iterator()
    )
    # The same delegates again as a downloaded workbook carries them (with their DelegateIDs):
    # without them the rows would be new rows naming existing delegates, an error (issue 11).
    same_file = workbook_bytes(numbered_rows(delegate_rows(args.rows), numbers))
    results["validate_same"] = measure(
        "ours: read_workbook + validate (same file again)", lambda: read_and_validate(same_file), runs=args.runs
    )
    same = read_and_validate(same_file)
    assert same.count(UNCHANGED) == args.rows, same.summary()
    results["commit_same"] = measure("ours: commit (all unchanged)", lambda: commit_of(same), runs=args.runs)
    updates_file = workbook_bytes(changed_rows(delegate_rows(args.rows), numbers))
    updates = read_and_validate(updates_file)
    assert updates.count(UPDATE) == args.rows, updates.summary()
    results["validate_updates"] = measure(
        f"ours: read_workbook + validate ({args.rows:,} updates)",
        lambda: read_and_validate(updates_file),
        runs=args.runs,
    )
    # What the worker's check stores besides validating (issue 16 item 6): each update's
    # changes described in words, and the error rows named.
    results["summary_updates"] = measure(
        f"ours: stored summary ({args.rows:,} updates in words)", updates.summary, runs=args.runs
    )
    results["commit_updates"] = measure(
        f"ours: commit ({args.rows:,} updates, rolled back)",
        lambda: rolled_back(lambda: commit_of(updates)),
        runs=args.runs,
        after=vacuum,
    )
    wipe()
    floor_of = {"validate": "parse", "validate_same": "parse", "validate_updates": "parse", "summary_updates": "parse"}
    floor_of |= {"commit": "write", "commit_same": "write", "commit_updates": "write", "import_export": "write"}
    print(f"\n{'step':<54} {'median s':>8} {'CPU s':>6} {'peak MB':>7} {'RSS +MB':>7} {'ratio to floor':>14}")
    for key, result in results.items():
        ratio = f"{result.median / results[floor_of[key]].median:.1f}x" if key in floor_of else "(floor)"
        rss = f"{result.rss_mb:.0f}" if result.rss_mb is not None else "n/a"
        print(
            f"{result.label:<54} {result.median:>8.2f} {result.cpu_median:>6.2f} {result.peak_mb:>7.0f} "
            f"{rss:>7} {ratio:>14}"
        )
    ours = results["validate"].median + results["commit"].median
    theirs = results["import_export"].median
    print(
        f"\nA file of {args.rows:,} new delegates: ours (read, validate every rule, commit) {ours:.2f} s; "
        f"import-export's bulk import (no rules) {theirs:.2f} s; the write floor {results['write'].median:.2f} s."
    )


if __name__ == "__main__":
    main()
