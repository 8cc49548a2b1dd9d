"""R10: the register's four Excel reports, built by a worker (`reporting`).

The job's params hold only the filters. Whose referrals go in is decided again when the file
is built, from the person who asked and the organisation they asked at (`referrals.access.register_access_for_user`):
someone whose reporting role or organisations changed after asking gets what they may see now,
or a failed job. Rows are streamed from the database in chunks as plain values and written
with openpyxl's write-only mode (`reporting.excel.workbook_write`), so memory does not grow with
the number of referrals. Outcome columns come from one query per chunk of referrals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO

from django.db import transaction
from django.utils import timezone

from core.exceptions import ServiceError
from core.progress import counted
from referrals.access import (
    RegisterAccess,
    register_access_for_user,
    register_access_narrowed,
    register_report_access,
)
from referrals.audit import referral_audit
from referrals.models import Risk
from referrals.report_rows import report_headers, report_questions, report_rows
from reporting.excel import report_header_block, workbook_write
from reporting.services import report_job_create

KIND_REFERRALS = "dsr_referrals"
KIND_OUTCOMES = "dsr_referrals_outcomes"
KIND_KEY_WORKING = "dsr_key_working_team"
KIND_ARCHIVED = "dsr_archived"

KEY_WORKING_OLDEST = 25  # the key working team supports people aged 0 to 25


@dataclass(frozen=True)
class ReportType:
    kind: str
    label: str
    sheet: str  # Excel allows 31 characters
    hint: str
    with_outcomes: bool = False
    archived: bool = False
    key_working: bool = False


REPORT_TYPES = [
    ReportType(KIND_REFERRALS, "Referral data", "Referrals", "Every active referral, with its extra questions."),
    ReportType(
        KIND_OUTCOMES,
        "Referral and outcome data",
        "Referrals and outcomes",
        "Every active referral, with the answers of its latest outcome.",
        with_outcomes=True,
    ),
    ReportType(
        KIND_KEY_WORKING,
        "Key working team data",
        "Key working team",
        f"Active referrals of people aged 0 to {KEY_WORKING_OLDEST}. The age range filter does not apply.",
        key_working=True,
    ),
    ReportType(
        KIND_ARCHIVED,
        "Archived referral and outcome data",
        "Archived referrals",
        "Archived referrals only, with their latest outcome and the summary and plan recorded when archived.",
        with_outcomes=True,
        archived=True,
    ),
]
REPORT_TYPE_BY_KIND = {report.kind: report for report in REPORT_TYPES}


@dataclass(frozen=True)
class AgeRange:
    key: str
    label: str
    youngest: int | None
    oldest: int | None


AGE_RANGES = [
    AgeRange("", "All ages", None, None),
    AgeRange("under_18", "Under 18", None, 17),
    AgeRange("18_plus", "18 and over", 18, None),
    AgeRange("18_to_25", "18 to 25", 18, 25),
    AgeRange("26_plus", "26 and over", 26, None),
]
AGE_RANGE_BY_KEY = {age.key: age for age in AGE_RANGES}


class ReportRefused(ServiceError):
    """The person may not have this report (any more): the job fails with this message."""


def report_referrals(*, access: RegisterAccess, report: ReportType, filters: dict, today: date):
    """The referrals of one report: the person's reportable referrals, active or archived, with
    the filters applied. An organisation the person may not report on raises ReportRefused."""
    referrals = access.reportable_referrals()
    referrals = referrals.archived() if report.archived else referrals.active()
    organisation_id = filters.get("organisation") or ""
    if organisation_id:
        organisation = next((o for o in access.organisations if str(o.public_id) == organisation_id), None)
        if organisation is None:
            raise ReportRefused("You may no longer report on the organisation chosen. Ask for the report again.")
        referrals = referrals.filter(centre=organisation)
    if report.key_working:
        referrals = referrals.born_between(oldest_age=KEY_WORKING_OLDEST, today=today)
    else:
        age = AGE_RANGE_BY_KEY.get(filters.get("age") or "")
        if age is None:
            raise ReportRefused("The age range is not one this report offers. Ask for the report again.")
        referrals = referrals.born_between(youngest_age=age.youngest, oldest_age=age.oldest, today=today)
    if filters.get("risk"):
        referrals = referrals.filter(risk=filters["risk"])
    if filters.get("locality"):
        referrals = referrals.filter(locality=filters["locality"])
    return referrals


def report_filter_lines(*, access: RegisterAccess, report: ReportType, filters: dict) -> list[tuple[str, str]]:
    """The filters that made the report, in words, for the workbook's header block."""
    organisation_id = filters.get("organisation") or ""
    organisation = next((o for o in access.organisations if str(o.public_id) == organisation_id), None)
    if report.key_working:
        age = f"0 to {KEY_WORKING_OLDEST} (this report's own range)"
    else:
        age = AGE_RANGE_BY_KEY.get(filters.get("age") or "", AGE_RANGES[0]).label
    return [
        ("Register", access.register.name),
        ("Organisation", organisation.name if organisation else "All organisations you may report on"),
        ("Age", age),
        ("Risk level", Risk(filters["risk"]).label if filters.get("risk") else "All risk levels"),
        ("Locality", filters.get("locality") or "All localities"),
        ("Records", "Archived" if report.archived else "Active"),
    ]


def referral_report_build(job, stream: IO[bytes], progress) -> int:
    """A register report (all four kinds): scope from the person's access now, then the filters."""
    report = REPORT_TYPE_BY_KIND[job.kind]
    access = register_access_for_user(user=job.requested_by, centre=job.centre)
    if access is None or not (access.can_report or access.can_administer):
        raise ReportRefused("You no longer have a reporting role in this register, so the report was not built.")
    access = register_access_narrowed(access, job)
    today = timezone.localdate()
    referrals = report_referrals(access=access, report=report, filters=job.params, today=today)
    questions = report_questions(access.register)
    total = referrals.count()
    return workbook_write(
        stream=stream,
        sheet_title=report.sheet,
        header_block=report_header_block(
            title=report.label, filters=report_filter_lines(access=access, report=report, filters=job.params)
        ),
        headers=report_headers(report=report, questions=questions),
        rows=counted(
            report_rows(referrals=referrals, report=report, questions=questions, today=today),
            total=total,
            progress=progress,
        ),
    )


@transaction.atomic
def report_request(
    *, access: RegisterAccess, report: ReportType, params: dict, filter_summary: list[str], request=None
):
    """Queue one report for the person and audit the request (personal data leaving the service)."""
    title = report.label + (f" ({', '.join(filter_summary)})" if filter_summary else "")
    job = report_job_create(
        centre=access.centre,
        requested_by=access.user,
        kind=report.kind,
        title=title[:200],
        params=params,
        filename=f"{report.kind.replace('_', '-')}-{access.centre.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
        access=register_report_access(access),
    )
    referral_audit(
        access=access,
        action="referral.report_requested",
        summary=f"Asked for the {report.label} report"
        + (f" (filters: {'; '.join(filter_summary)})" if filter_summary else " (no filters)"),
        request=request,
    )
    return job
