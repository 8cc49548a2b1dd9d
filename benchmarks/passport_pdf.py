"""Benchmark: the P9 passport record PDF of a learner on the real 670-item framework.

    DJANGO_SETTINGS_MODULE=config.settings.local .venv/bin/python benchmarks/passport_pdf.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_passports ... (same command)

Migrates the database, loads `../shared/data/step1-proficiencies.json` (52 sections, 670
proficiencies) as a framework with plain model writes, enrols one learner with every
proficiency answered (most confirmed, with notes and comments), then builds the record PDF
the way the worker does (`passport_record_pdf_build`) several times. Prints the median time,
the page count and size, and the peak memory (Python allocations, measured in a separate
run, and the process's peak resident size). Not part of the test suite.
"""

import io
import json
import logging
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # no per-step progress lines

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from centres.models import Centre, Membership, RegistrationType  # noqa: E402
from passports.models import (  # noqa: E402
    Enrolment,
    Framework,
    FrameworkVersion,
    Proficiency,
    Result,
    ResultStatus,
    Section,
    SignOff,
)
from passports.records import passport_record, passport_record_html, passport_record_pdf_build, pdf_document  # noqa: E402

DATA = Path(os.environ.get("BENCH_FRAMEWORK", ROOT.parent / "shared" / "data" / "step1-proficiencies.json"))
if not DATA.exists():
    DATA = Path("/work/shared/data/step1-proficiencies.json")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CODE = "BENCHPDF"
FRAMEWORK = "Step 1 proficiencies (benchmark)"


def build() -> Enrolment:
    existing = Enrolment.objects.filter(centre__code=CODE).select_related("centre").first()
    if existing:
        print(f"Reusing the enrolment at {CODE}")
        return existing
    started = time.perf_counter()
    items = json.loads(DATA.read_text())
    centre = Centre.objects.create(code=CODE, name="Benchmark Teaching Hospitals NHS Trust")
    educator = User.objects.create(email="bench.educator@bench.example", first_name="Priya", last_name="Raman")
    learner_user = User.objects.create(email="bench.learner@bench.example", first_name="Oliver", last_name="Bennett")
    learner = Membership.objects.create(
        user=learner_user,
        centre=centre,
        delegate_number="BENCHPDF1",
        is_approved=True,
        registration_type=RegistrationType.CENTRE,
    )
    framework = Framework.objects.create(name=FRAMEWORK)
    version = FrameworkVersion.objects.create(
        framework=framework, number=1, status=FrameworkVersion.Status.PUBLISHED, published_at=timezone.now()
    )
    sections: dict[str, Section] = {}
    proficiencies = []
    for position, item in enumerate(items, start=1):
        group = item["Competency group"] or "Other"
        if group not in sections:
            sections[group] = Section.objects.create(version=version, position=len(sections) + 1, name=group[:250])
        proficiencies.append(
            Proficiency(
                version=version,
                section=sections[group],
                position=position,
                name=(item["Competency name"] or f"Proficiency {position}")[:500],
                description_html=item.get("Competency description") or "",
                is_supernumerary=bool(item.get("Purple (supernumerary competency)")),
            )
        )
    Proficiency.objects.bulk_create(proficiencies)
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        centre=centre, membership=learner, framework=framework, version=version, enrolled_by=educator
    )
    results = []
    for proficiency in version.proficiencies.all():
        n = proficiency.position
        confirmed = n % 5 != 0
        results.append(
            Result(
                centre=centre,
                enrolment=enrolment,
                proficiency=proficiency,
                answer="achieved" if n % 7 else "ongoing",
                action_plan="Practised under supervision on the ward; reflective note written." if n % 3 == 0 else "",
                assessed_at=now,
                status=ResultStatus.CONFIRMED if confirmed else ResultStatus.SELF_ASSESSED,
                reviewed_by=educator if confirmed else None,
                reviewed_at=now if confirmed else None,
                reviewer_comment="Observed safe, competent practice." if confirmed and n % 4 == 0 else "",
            )
        )
    Result.objects.bulk_create(results)  # plain writes: the benchmark needs no history rows
    SignOff.objects.create(
        centre=centre, enrolment=enrolment, educator=educator, status=SignOff.Status.SIGNED_OFF, decided_at=now
    )
    enrolment.signed_off_at = now
    enrolment.save(update_fields=["signed_off_at"])
    print(
        f"Built {len(sections)} sections, {len(proficiencies)} proficiencies and the enrolment "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return enrolment


class FakeJob:
    def __init__(self, enrolment):
        self.centre = enrolment.centre
        self.requested_by = enrolment.enrolled_by
        self.params = {"enrolment_id": str(enrolment.public_id)}


def main() -> None:
    call_command("migrate", verbosity=0)
    enrolment = build()
    print(f"Database: {connection.vendor}; {RUNS} runs")
    job = FakeJob(enrolment)
    times = []
    size = 0
    for _ in range(RUNS):
        stream = io.BytesIO()
        started = time.perf_counter()
        rows = passport_record_pdf_build(job, stream, lambda done, total: None)
        times.append(time.perf_counter() - started)
        size = len(stream.getvalue())
    record = passport_record(enrolment=enrolment)
    pages = len(pdf_document(passport_record_html(record=record)).pages)
    print(
        f"Record PDF ({rows} proficiencies, {pages} pages, {size / 1024:.0f} KiB): "
        f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s"
    )
    tracemalloc.start()
    passport_record_pdf_build(job, io.BytesIO(), lambda done, total: None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak Python allocations while building one PDF: {peak / 2**20:.0f} MiB; process peak RSS {max_rss:.0f} MiB")


if __name__ == "__main__":
    main()
