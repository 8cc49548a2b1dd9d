"""R10: the rows and headers of the register's Excel reports, as plain values streamed from
the database `CHUNK_SIZE` referrals at a time (`referrals.reports` builds the workbook)."""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import TYPE_CHECKING

from django.utils import timezone

from referrals.ages import age_on
from referrals.models import (
    Condition,
    Ethnicity,
    ExtraQuestion,
    Outcome,
    Risk,
    YesNoDontKnow,
)

if TYPE_CHECKING:
    from referrals.reports import ReportType

CHUNK_SIZE = 2000

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


