"""P9 passport record (PDF and Excel) and P10 centre progress report: the builders that
`reporting` runs in a worker (registered in `PassportsConfig.ready`).

A builder is `build(job, stream, progress) -> rows` (see `reporting.registry`). Every query
goes through the job's centre. PDFs are rendered by `reporting.pdf` (WeasyPrint, no network
or file system) from a Jinja2 template with inline CSS.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from centres.roles import Permission
from passports.models import Enrolment, Result, ResultStatus, SignOff, Supervisor
from reporting.excel import escape_text, workbook_write
from reporting.pdf import pdf_document

CHUNK_SIZE = 1000
RECORD_PDF_KIND = "passport_record_pdf"
RECORD_XLSX_KIND = "passport_record_xlsx"
PROGRESS_XLSX_KIND = "passport_progress_xlsx"

STATUS_LABELS = dict(ResultStatus.choices)
ANSWER_LABELS = dict(Result.Answer.choices)


# -- the record of one enrolment ---------------------------------------------------------------


@dataclass
class RecordItem:
    position: int
    name: str
    answer: str
    status: str
    status_label: str
    learner_note: str
    assessed_at: datetime | None
    reviewer_name: str
    reviewed_at: datetime | None
    reviewer_comment: str
    confirmed_at_centre: str  # P11: the other centre whose supervisor confirmed it, else ""


@dataclass
class RecordSection:
    name: str
    items: list[RecordItem] = field(default_factory=list)


@dataclass
class PassportRecord:
    enrolment: Enrolment
    learner_name: str
    delegate_number: str
    centre_name: str
    framework_name: str
    version_number: int
    enrolled_at: datetime
    complete_by: date | None
    signed_off_at: datetime | None
    signed_off_by: str
    sections: list[RecordSection]
    generated_at: datetime

    @property
    def items(self):
        for section in self.sections:
            yield from section.items

    @property
    def total(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def confirmed(self) -> int:
        return sum(1 for item in self.items if item.status == ResultStatus.CONFIRMED)

    @property
    def achieved(self) -> int:
        return sum(1 for item in self.items if item.answer == ANSWER_LABELS[Result.Answer.ACHIEVED])


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def record_enrolment(*, centre, enrolment_id) -> Enrolment | None:
    """The current (not removed) enrolment with that public id at `centre`, or None."""
    return (
        Enrolment.objects.for_centre(centre)
        .filter(public_id=enrolment_id, removed_at__isnull=True)
        .select_related("centre", "membership__user", "framework", "version")
        .first()
    )


def record_may_view(*, enrolment: Enrolment, user, can_supervise: bool) -> bool:
    """P9: the learner (their own enrolment), the enrolment's supervisors, and educators
    (SUPERVISE at the centre, passed in as `can_supervise`) may download the record."""
    if can_supervise or enrolment.membership.user_id == user.pk:
        return True
    return Supervisor.objects.for_centre(enrolment.centre).filter(enrolment=enrolment, user=user).exists()


def passport_record(*, enrolment: Enrolment) -> PassportRecord:
    """Everything the record shows, in three queries (sign-off, results; the enrolment is
    loaded with its learner, centre, framework and version by `record_enrolment`)."""
    centre = enrolment.centre
    sign_off = (
        SignOff.objects.for_centre(centre)
        .filter(enrolment=enrolment, status=SignOff.Status.SIGNED_OFF)
        .select_related("educator")
        .order_by("-decided_at", "-requested_at")
        .first()
    )
    results = (
        Result.objects.for_centre(centre)
        .filter(enrolment=enrolment)
        .order_by("proficiency__position")
        .values_list(
            "proficiency__section_id",
            "proficiency__section__name",
            "proficiency__position",
            "proficiency__name",
            "answer",
            "status",
            "action_plan",
            "assessed_at",
            "reviewed_by__first_name",
            "reviewed_by__last_name",
            "reviewed_at",
            "reviewer_comment",
            "confirmed_at_centre_id",
            "confirmed_at_centre__name",
        )
    )
    sections: list[RecordSection] = []
    current_section_id = None
    for row in results.iterator(chunk_size=CHUNK_SIZE):
        (section_id, section_name, position, name, answer, status, note, assessed_at) = row[:8]
        (first, last, reviewed_at, comment, other_centre_id, other_centre_name) = row[8:]
        if section_id != current_section_id:
            sections.append(RecordSection(name=section_name))
            current_section_id = section_id
        sections[-1].items.append(
            RecordItem(
                position=position,
                name=name,
                answer=ANSWER_LABELS.get(answer, ""),
                status=status,
                status_label=STATUS_LABELS.get(status, status),
                learner_note=note,
                assessed_at=assessed_at,
                reviewer_name=_name(first, last),
                reviewed_at=reviewed_at,
                reviewer_comment=comment,
                confirmed_at_centre=other_centre_name if other_centre_id and other_centre_id != centre.pk else "",
            )
        )
    user = enrolment.membership.user
    return PassportRecord(
        enrolment=enrolment,
        learner_name=_name(user.first_name, user.last_name),
        delegate_number=enrolment.membership.delegate_number,
        centre_name=centre.name,
        framework_name=enrolment.framework.name,
        version_number=enrolment.version.number,
        enrolled_at=enrolment.enrolled_at,
        complete_by=enrolment.complete_by,
        signed_off_at=enrolment.signed_off_at,
        signed_off_by=sign_off.educator.get_full_name() if sign_off and enrolment.signed_off_at else "",
        sections=sections,
        generated_at=timezone.now(),
    )


def passport_record_html(*, record: PassportRecord) -> str:
    return render_to_string("passports/records/record_pdf.html", {"record": record})


def _job_enrolment(job) -> Enrolment:
    enrolment = record_enrolment(centre=job.centre, enrolment_id=job.params.get("enrolment_id"))
    if enrolment is None:
        raise LookupError("The enrolment is no longer on this centre's records")
    return enrolment


def _record_audit(job, enrolment: Enrolment, what: str) -> None:
    from centres.audit import audit_record

    audit_record(
        actor=job.requested_by,
        centre=job.centre,
        action="passport.record_exported",
        target=enrolment,
        summary=f"Passport record of {enrolment.membership.delegate_number} ({enrolment.framework.name}) "
        f"downloaded as {what}",
    )


def passport_record_pdf_build(job, stream: IO[bytes], progress) -> int:
    """The `passport_record_pdf` report kind: params {"enrolment_id": "<uuid>"}. Returns the
    number of proficiencies in the record."""
    enrolment = _job_enrolment(job)
    record = passport_record(enrolment=enrolment)
    progress(1, 10)
    html = passport_record_html(record=record)
    progress(3, 10)
    document = pdf_document(html)
    progress(8, 10)
    document.write_pdf(target=stream)
    _record_audit(job, enrolment, "PDF")
    return record.total


RECORD_XLSX_HEADERS = [
    "Section",
    "Number",
    "Proficiency",
    "Self-assessment",
    "Self-assessed on",
    "Status",
    "Learner's note",
    "Reviewed by",
    "Reviewed on",
    "Comment or action plan",
    "Confirmed at",
]


def passport_record_rows(record: PassportRecord):
    """One row per proficiency. `reporting.excel.workbook_write` escapes every text cell
    (`escape_text`) as it writes it."""
    for section in record.sections:
        for item in section.items:
            yield [
                section.name,
                item.position,
                item.name,
                item.answer,
                timezone.localtime(item.assessed_at) if item.assessed_at else None,
                item.status_label,
                item.learner_note,
                item.reviewer_name,
                timezone.localtime(item.reviewed_at) if item.reviewed_at else None,
                item.reviewer_comment,
                item.confirmed_at_centre or (record.centre_name if item.status == ResultStatus.CONFIRMED else ""),
            ]


def _cell(value):
    """A cell value: text escaped against formula injection, times local and naive."""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, datetime):
        return timezone.make_naive(timezone.localtime(value)) if timezone.is_aware(value) else value
    return value


def passport_record_xlsx_write(*, record: PassportRecord, stream: IO[bytes]) -> int:
    """One sheet: the enrolment's details as label/value rows, a blank row, then the table
    (openpyxl write-only mode). Returns the number of proficiency rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Passport record")
    bold = Font(bold=True)

    def bold_row(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_cell(value))
            cell.font = bold
            cells.append(cell)
        return cells

    details = [
        ("Learner", record.learner_name),
        ("Delegate number", record.delegate_number),
        ("Centre", record.centre_name),
        ("Framework", record.framework_name),
        ("Version", record.version_number),
        ("Enrolled", record.enrolled_at),
        ("Complete by", record.complete_by),
        ("Signed off", record.signed_off_at),
        ("Signed off by", record.signed_off_by),
        ("Confirmed", f"{record.confirmed} of {record.total}"),
    ]
    for label, value in details:
        sheet.append([*bold_row([label]), _cell(value)])
    sheet.append([])
    sheet.append(bold_row(RECORD_XLSX_HEADERS))
    count = 0
    for row in passport_record_rows(record):
        sheet.append([_cell(value) for value in row])
        count += 1
    workbook.save(stream)
    return count


def passport_record_xlsx_build(job, stream: IO[bytes], progress) -> int:
    """The `passport_record_xlsx` report kind: params {"enrolment_id": "<uuid>"}."""
    enrolment = _job_enrolment(job)
    record = passport_record(enrolment=enrolment)
    progress(5, 10)
    count = passport_record_xlsx_write(record=record, stream=stream)
    _record_audit(job, enrolment, "Excel")
    return count


# -- P10: the centre progress report -----------------------------------------------------------


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
            _name(first, last),
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


def _counted(rows, *, total: int, progress):
    for done, row in enumerate(rows, start=1):
        if done % 500 == 0:
            progress(done, total)
        yield row


def passport_progress_build(job, stream: IO[bytes], progress) -> int:
    """The `passport_progress_xlsx` report kind: params {"framework_id": "<uuid>" or ""}."""
    from centres.audit import audit_record
    from centres.models import RegistrationPrompt

    centre = job.centre
    prompts = list(RegistrationPrompt.objects.for_centre(centre).order_by("position"))
    enrolments = progress_report_enrolments(centre=centre, framework_id=job.params.get("framework_id") or None)
    total = enrolments.count()
    count = workbook_write(
        stream=stream,
        sheet_title="Passport progress",
        headers=progress_report_headers(prompts),
        rows=_counted(progress_report_rows(enrolments=enrolments, prompts=prompts), total=total, progress=progress),
    )
    audit_record(
        actor=job.requested_by,
        centre=centre,
        action="passport.progress_exported",
        summary=f"Passport progress report of {count} enrolment{'' if count == 1 else 's'} downloaded to Excel"
        + (f" ({job.params['framework_name']})" if job.params.get("framework_name") else ""),
    )
    return count


# -- Who may still download (ADR 0017) ------------------------------------------------------------

PROGRESS_REPORT_ACCESS = {"permissions": [Permission.VIEW_REPORTS.value]}
RECORD_ACCESS = {"permissions": []}  # the rule is record_may_view, worked out again at download


def passport_record_may_download(*, job, user, held: frozenset[str]) -> bool:
    """The enrolment is still current at the centre and the person still may see its record
    (its learner, one of its supervisors, or an educator now)."""
    enrolment = record_enrolment(centre=job.centre, enrolment_id=job.params.get("enrolment_id"))
    return enrolment is not None and record_may_view(
        enrolment=enrolment, user=user, can_supervise=Permission.SUPERVISE.value in held
    )


def report_kinds_register() -> None:
    """Called from PassportsConfig.ready."""
    from reporting.registry import permissions_suffice, report_kind_register

    report_kind_register(RECORD_PDF_KIND, passport_record_pdf_build, may_download=passport_record_may_download)
    report_kind_register(RECORD_XLSX_KIND, passport_record_xlsx_build, may_download=passport_record_may_download)
    report_kind_register(PROGRESS_XLSX_KIND, passport_progress_build, may_download=permissions_suffice)
