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
from itertools import islice
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
    register_report_may_download,
)
from referrals.ages import age_on
from referrals.models import (
    Condition,
    Ethnicity,
    ExtraQuestion,
    Outcome,
    Risk,
    YesNoDontKnow,
)
from reporting.excel import workbook_write

CHUNK_SIZE = 2000

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


REFERRAL_FIELDS = [
    "pk",
    "reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "nhs_number",
    "centre__name",
    "locality",
    "condition",
    "ethnicity",
    "criminal_justice",
    "risk",
    "latest_update",
    "has_capacity",
    "consent_given",
    "best_interest_decision",
    "best_interest_detail",
    "extra_answers",
    "created_by__first_name",
    "created_by__last_name",
    "created_at",
    "updated_by__first_name",
    "updated_by__last_name",
    "updated_at",
    "archived_at",
    "archived_by__first_name",
    "archived_by__last_name",
]
OUTCOME_FIELDS = [
    "referral_id",
    "created_at",
    "recorded_by__first_name",
    "recorded_by__last_name",
    "cetr_requested",
    "laep_requested",
    "meeting_happened",
    "why_not_happened",
    "result",
    "notes",
    "summary_for_next_meeting",
    "plan_from_meeting",
    "archived",
]

REFERRAL_HEADERS = [
    "Reference",
    "First name",
    "Last name",
    "Date of birth",
    "Age today",
    "NHS number",
    "Referring organisation",
    "Locality",
    "Learning disability and/or autism",
    "Ethnicity",
    "History with criminal justice",
    "Risk level",
    "Latest update for the DSR meeting",
    "Has capacity to consent",
    "Consent given",
    "Best-interest decision made",
    "Best-interest decision detail",
]
AUDIT_HEADERS = ["Created by", "Created", "Last updated by", "Last updated"]
OUTCOME_HEADERS = [
    "Latest outcome recorded",
    "Latest outcome recorded by",
    "C(E)TR requested",
    "LAEP requested",
    "Meeting happened",
    "Why the meeting did not happen",
    "Outcome",
    "Outcome notes",
    "Summary for the next meeting",
    "Plan from the meeting",
]
ARCHIVED_HEADERS = [
    "Archived",
    "Archived by",
    "Summary when archived",
    "Plan when archived",
]

CONDITION_LABELS = dict(Condition.choices)
ETHNICITY_LABELS = dict(Ethnicity.choices)
YES_NO_DONT_KNOW_LABELS = dict(YesNoDontKnow.choices)
RISK_LABELS = dict(Risk.choices)
RESULT_LABELS = dict(Outcome.Result.choices)


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def report_questions(register) -> list[tuple[str, str]]:
    """(public id, text) of every extra question of the register, retired ones too, so old
    answers keep their column."""
    return [
        (str(public_id), text)
        for public_id, text in ExtraQuestion.objects.filter(register=register)
        .order_by("position", "created_at")
        .values_list("public_id", "text")
    ]


def report_headers(*, report: ReportType, questions) -> list[str]:
    headers = [*REFERRAL_HEADERS, *(text for _, text in questions), *AUDIT_HEADERS]
    if report.with_outcomes:
        headers += OUTCOME_HEADERS
    if report.archived:
        headers += ARCHIVED_HEADERS
    return headers


def _outcomes_for(referral_ids: list[int]) -> tuple[dict[int, dict], dict[int, dict]]:
    """The latest outcome and the archiving outcome of each referral, in one query."""
    latest, archiving = {}, {}
    # Every outcome of the chunk's referrals, oldest first, so the last one seen is the latest.
    outcomes = (
        Outcome.objects.filter(referral_id__in=referral_ids)  # scoped by the referrals, chosen through access
        .order_by("referral_id", "created_at", "pk")
        .values(*OUTCOME_FIELDS)
    )
    for outcome in outcomes:
        latest[outcome["referral_id"]] = outcome
        if outcome["archived"]:
            archiving[outcome["referral_id"]] = outcome
    return latest, archiving


def _chunks(iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def report_rows(*, referrals, report: ReportType, questions, today: date):
    """One row per referral, as plain values (no model instances), fetched `CHUNK_SIZE` at a time."""
    question_ids = [public_id for public_id, _ in questions]
    values = (
        referrals.order_by("centre__name", "last_name", "first_name", "pk")
        .values_list(*REFERRAL_FIELDS, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for chunk in _chunks(values, CHUNK_SIZE):
        latest, archiving = _outcomes_for([r.pk for r in chunk]) if report.with_outcomes else ({}, {})
        for r in chunk:
            answers = r.extra_answers or {}
            row = [
                r.reference,
                r.first_name,
                r.last_name,
                r.date_of_birth,
                age_on(r.date_of_birth, today),
                r.nhs_number,
                r.centre__name,
                r.locality,
                CONDITION_LABELS.get(r.condition, r.condition),
                ETHNICITY_LABELS.get(r.ethnicity, r.ethnicity),
                YES_NO_DONT_KNOW_LABELS.get(r.criminal_justice, r.criminal_justice),
                RISK_LABELS.get(r.risk, r.risk),
                r.latest_update,
                _yes_no(r.has_capacity),
                _yes_no(r.consent_given),
                _yes_no(r.best_interest_decision),
                r.best_interest_detail,
                *(_answer(answers.get(question_id)) for question_id in question_ids),
                _name(r.created_by__first_name, r.created_by__last_name),
                _local(r.created_at),
                _name(r.updated_by__first_name, r.updated_by__last_name),
                _local(r.updated_at),
            ]
            if report.with_outcomes:
                row += _outcome_cells(latest.get(r.pk))
            if report.archived:
                closing = archiving.get(r.pk) or {}
                row += [
                    _local(r.archived_at),
                    _name(r.archived_by__first_name, r.archived_by__last_name),
                    closing.get("summary_for_next_meeting", ""),
                    closing.get("plan_from_meeting", ""),
                ]
            yield row


def _answer(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return YES_NO_DONT_KNOW_LABELS.get(value, str(value)) if isinstance(value, str) else str(value)


def _outcome_cells(outcome: dict | None) -> list:
    if outcome is None:
        return [None] + [""] * (len(OUTCOME_HEADERS) - 1)
    return [
        _local(outcome["created_at"]),
        _name(outcome["recorded_by__first_name"], outcome["recorded_by__last_name"]),
        _yes_no(outcome["cetr_requested"]),
        _yes_no(outcome["laep_requested"]),
        _yes_no(outcome["meeting_happened"]),
        outcome["why_not_happened"],
        RESULT_LABELS.get(outcome["result"], outcome["result"]),
        outcome["notes"],
        outcome["summary_for_next_meeting"],
        outcome["plan_from_meeting"],
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
        headers=report_headers(report=report, questions=questions),
        rows=counted(
            report_rows(referrals=referrals, report=report, questions=questions, today=today),
            total=total,
            progress=progress,
        ),
    )


def report_kinds_register() -> None:
    """Called from ReferralsConfig.ready()."""
    from reporting.registry import report_kind_register

    for report in REPORT_TYPES:
        report_kind_register(
            report.kind, referral_report_build, may_download=register_report_may_download, audit_namespace="referral"
        )


@transaction.atomic
def report_request(
    *, access: RegisterAccess, report: ReportType, params: dict, filter_summary: list[str], request=None
):
    """Queue one report for the person and audit the request (personal data leaving the service)."""
    from referrals.audit import referral_audit
    from reporting.services import report_job_create

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
