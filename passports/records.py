"""P9 passport record (PDF and Excel): the builders that `reporting` runs in a worker
(registered in `PassportsConfig.ready`, with P10's `passports.progress_report`). Who may see a
record is `passports.access.PassportAccess`'s to say.

A builder is `build(job, stream, progress) -> rows` (see `reporting.registry`). Every query
goes through the job's centre. PDFs are rendered by `reporting.pdf` (WeasyPrint, no network
or file system) from a Jinja2 template with inline CSS.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from centres.audit import audit_record
from passports.access import record_enrolment
from passports.models import Enrolment, Result, ResultStatus, SignOff
from reporting.excel import WIDTH_SAMPLE_ROWS, bold_cells, column_widths, row_values, sheet_columns_size
from reporting.pdf import pdf_document

CHUNK_SIZE = 1000
RECORD_PDF_KIND = "passport_record_pdf"
RECORD_XLSX_KIND = "passport_record_xlsx"

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
    is_optional: bool = False
    is_supernumerary: bool = False  # Step 1's "purple" proficiencies (issue 16 item 12)


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
            "proficiency__is_optional",
            "proficiency__is_supernumerary",
        )
    )
    sections: list[RecordSection] = []
    current_section_id = None
    for row in results.iterator(chunk_size=CHUNK_SIZE):
        (section_id, section_name, position, name, answer, status, note, assessed_at) = row[:8]
        (first, last, reviewed_at, comment, other_centre_id, other_centre_name, optional, supernumerary) = row[8:]
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
                is_optional=optional,
                is_supernumerary=supernumerary,
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
    "Optional",
    "Supernumerary",
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
                "Yes" if item.is_optional else "",
                "Yes" if item.is_supernumerary else "",
            ]


def passport_record_xlsx_write(*, record: PassportRecord, stream: IO[bytes]) -> int:
    """One sheet: the enrolment's details as label/value rows, a blank row, then the table
    with a bold header row frozen and filtered, columns sized, dates in UK form (openpyxl
    write-only mode, `reporting.excel`). Returns the number of proficiency rows."""

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Passport record")
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
    rows = list(passport_record_rows(record))  # the record is in memory already (PassportRecord)
    sheet_columns_size(sheet, column_widths(RECORD_XLSX_HEADERS, [*details, *rows[:WIDTH_SAMPLE_ROWS]]))
    header_row = len(details) + 2
    sheet.freeze_panes = f"A{header_row + 1}"  # the details and the table's header stay in view
    for label, value in details:
        sheet.append([*bold_cells(sheet, [label]), *row_values(sheet, [value])])
    sheet.append([])
    sheet.append(bold_cells(sheet, RECORD_XLSX_HEADERS))
    for row in rows:
        sheet.append(row_values(sheet, row))
    last_column = get_column_letter(len(RECORD_XLSX_HEADERS))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(rows)}"
    workbook.save(stream)
    return len(rows)


def passport_record_xlsx_build(job, stream: IO[bytes], progress) -> int:
    """The `passport_record_xlsx` report kind: params {"enrolment_id": "<uuid>"}."""
    enrolment = _job_enrolment(job)
    record = passport_record(enrolment=enrolment)
    progress(5, 10)
    count = passport_record_xlsx_write(record=record, stream=stream)
    _record_audit(job, enrolment, "Excel")
    return count
