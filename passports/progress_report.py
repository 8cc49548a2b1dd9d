"""P10: the centre progress report, one row per current enrolment with its counts, built by a
worker through `reporting` (registered in `passports.records.report_kinds_register`)."""

from typing import IO

from django.db.models import Count, Q
from django.utils import timezone

from centres.audit import audit_record
from centres.models import RegistrationPrompt
from centres.roles import Permission
from core.progress import counted
from passports.models import Enrolment, Result, ResultStatus
from reporting.excel import workbook_write

CHUNK_SIZE = 1000
PROGRESS_XLSX_KIND = "passport_progress_xlsx"
# What the report job records for its download check (ADR 0017).
PROGRESS_REPORT_ACCESS = {"permissions": [Permission.VIEW_REPORTS.value]}


def progress_report_enrolments(*, centre, framework_id=None):
    """Current enrolments at `centre` (optionally of one framework, by public id) with their
    counts, as one aggregate query."""
    enrolments = Enrolment.objects.for_centre(centre).filter(removed_at__isnull=True)
    if framework_id:
        enrolments = enrolments.filter(framework__public_id=framework_id)
    return enrolments.annotate(
        achieved_count=Count("results", filter=Q(results__answer=Result.Answer.ACHIEVED)),
        confirmed_count=Count("results", filter=Q(results__status=ResultStatus.CONFIRMED)),
        total_count=Count("results"),
    ).order_by("membership__user__last_name", "membership__user__first_name", "framework__name", "pk")


def progress_report_headers(prompts) -> list[str]:
    return [
        "Learner",
        "Delegate number",
        "Job group",
        *(prompt.text for prompt in prompts),
        "Framework",
        "Version",
        "Enrolled",
        "Complete by",
        "Last active",
        "Achieved (self-assessed)",
        "Confirmed",
        "Total proficiencies",
        "Signed off",
    ]


def progress_report_rows(*, enrolments, prompts):
    fields = [
        "membership__user__first_name",
        "membership__user__last_name",
        "membership__delegate_number",
        "membership__job_group__name",
        *(f"membership__{prompt.answer_field}" for prompt in prompts),
        "framework__name",
        "version__number",
        "enrolled_at",
        "complete_by",
        "last_active_at",
        "achieved_count",
        "confirmed_count",
        "total_count",
        "signed_off_at",
    ]
    answers = len(prompts)

    def local(value):
        return timezone.localtime(value) if value else None

    for values in enrolments.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        first, last, number, job_group = values[:4]
        rest = values[4 + answers :]
        framework, version, enrolled, complete_by, last_active, achieved, confirmed, total, signed_off = rest
        yield [
            f"{first or ''} {last or ''}".strip(),
            number,
            job_group or "",
            *values[4 : 4 + answers],
            framework,
            version,
            local(enrolled),
            complete_by,
            local(last_active),
            achieved,
            confirmed,
            total,
            local(signed_off),
        ]




def passport_progress_build(job, stream: IO[bytes], progress) -> int:
    """The `passport_progress_xlsx` report kind: params {"framework_id": "<uuid>" or ""}."""
    centre = job.centre
    prompts = list(RegistrationPrompt.objects.for_centre(centre).order_by("position"))
    enrolments = progress_report_enrolments(centre=centre, framework_id=job.params.get("framework_id") or None)
    total = enrolments.count()
    count = workbook_write(
        stream=stream,
        sheet_title="Passport progress",
        headers=progress_report_headers(prompts),
        rows=counted(progress_report_rows(enrolments=enrolments, prompts=prompts), total=total, progress=progress),
    )
    audit_record(
        actor=job.requested_by,
        centre=centre,
        action="passport.progress_exported",
        summary=f"Passport progress report of {count} enrolment{'' if count == 1 else 's'} downloaded to Excel"
        + (f" ({job.params['framework_name']})" if job.params.get("framework_name") else ""),
    )
    return count
