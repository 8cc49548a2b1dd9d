"""P9 passport record: who may download it, what the PDF and Excel files hold, and the
renderer never fetching anything."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from centres.models import AuditEvent
from centres.roles import Role
from passports.access import record_enrolment
from passports.models import Proficiency, Result, ResultStatus, SignOff, Supervisor
from passports.records import (
    passport_record,
    passport_record_html,
    passport_record_xlsx_write,
)
from passports.tests.factories import enrolment_build, framework_version_build
from reporting.models import ReportJob
from reporting.pdf import local_url_fetcher, pdf_document, pdf_text
from tests.factories import CentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def document_text(document) -> str:
    """The text WeasyPrint laid out on the pages (reporting.pdf.pdf_text)."""
    return pdf_text(document)


@pytest.fixture
def centre():
    return CentreFactory(name="Leeds Teaching Hospitals NHS Trust")


@pytest.fixture
def educator(centre):
    return MembershipFactory(centre=centre, role=Role.EDUCATOR, user__first_name="Priya", user__last_name="Raman")


@pytest.fixture
def enrolment(centre, educator):
    version = framework_version_build(name="IV Therapy Passport", sections=2, per_section=3)
    learner = MembershipFactory(centre=centre, user__first_name="Oliver", user__last_name="Bennett")
    return enrolment_build(centre=centre, version=version, learner=learner, educator=educator)


def _answer(enrolment, position, **fields):
    Result.objects.filter(enrolment=enrolment, proficiency__position=position).update(**fields)


def _fill(enrolment, educator):
    now = timezone.now()
    other = CentreFactory(name="Bradford District Care Trust")
    _answer(
        enrolment,
        1,
        answer="achieved",
        status=ResultStatus.CONFIRMED,
        assessed_at=now,
        action_plan="Practised on the ward",
        reviewed_by=educator.user,
        reviewed_at=now,
        reviewer_comment="Well done",
    )
    _answer(
        enrolment,
        2,
        answer="achieved",
        status=ResultStatus.REJECTED,
        assessed_at=now,
        reviewed_by=educator.user,
        reviewed_at=now,
        reviewer_comment="Observe two more cannulations",
    )
    _answer(enrolment, 3, answer="ongoing", status=ResultStatus.SELF_ASSESSED, assessed_at=now)
    _answer(
        enrolment,
        4,
        answer="achieved",
        status=ResultStatus.CONFIRMED,
        assessed_at=now,
        reviewed_by=educator.user,
        reviewed_at=now,
        confirmed_at_centre=other,
    )
    _answer(enrolment, 5, action_plan='=HYPERLINK("http://evil.example","x")', answer="ongoing")


def _record(enrolment):
    return passport_record(enrolment=record_enrolment(centre=enrolment.centre, enrolment_id=enrolment.public_id))


def test_record_holds_every_proficiency_with_its_review(enrolment, educator, django_assert_max_num_queries):
    _fill(enrolment, educator)
    loaded = record_enrolment(centre=enrolment.centre, enrolment_id=enrolment.public_id)
    with django_assert_max_num_queries(3):
        record = passport_record(enrolment=loaded)
    assert record.learner_name == "Oliver Bennett"
    assert record.framework_name == "IV Therapy Passport"
    assert [section.name for section in record.sections] == ["Section 1", "Section 2"]
    assert (record.total, record.confirmed, record.achieved) == (6, 2, 3)
    first, second, third, fourth = list(record.items)[:4]
    assert (first.answer, first.status_label, first.learner_note) == ("Achieved", "Confirmed", "Practised on the ward")
    assert (first.reviewer_name, first.reviewer_comment, first.confirmed_at_centre) == ("Priya Raman", "Well done", "")
    assert second.status_label == "Rejected"
    assert second.reviewer_comment == "Observe two more cannulations"
    assert third.answer == "Ongoing"
    assert third.reviewer_name == ""
    assert fourth.confirmed_at_centre == "Bradford District Care Trust"  # P11


def test_record_pdf_shows_learner_dates_sections_and_reviews(enrolment, educator):
    _fill(enrolment, educator)
    enrolment.complete_by = timezone.localdate().replace(year=2030, month=3, day=31)
    enrolment.signed_off_at = timezone.now()
    enrolment.save()
    SignOff.objects.create(
        centre=enrolment.centre,
        enrolment=enrolment,
        educator=educator.user,
        status=SignOff.Status.SIGNED_OFF,
        decided_at=timezone.now(),
    )
    record = _record(enrolment)
    text = document_text(pdf_document(passport_record_html(record=record)))
    for expected in [
        "Oliver Bennett",
        enrolment.membership.delegate_number,
        "Leeds Teaching Hospitals NHS Trust",
        "IV Therapy Passport",
        "version 1",
        "31 March 2030",
        "Priya Raman",
        "Section 2",
        "Proficiency 2.3",
        "Practised on the ward",
        "Observe two more cannulations",
        "Confirmed by Priya Raman",
        "Rejected by Priya Raman",
        "at Bradford District Care Trust",  # P11: confirmed at another centre
    ]:
        assert expected in text, expected
    assert "Not signed off" not in text


def test_the_670_item_framework_renders(centre, educator):
    version = framework_version_build(name="Step 1 proficiencies", sections=52, per_section=13)
    enrolment = enrolment_build(centre=centre, version=version, educator=educator)
    document = pdf_document(passport_record_html(record=_record(enrolment)))
    assert 20 <= len(document.pages) <= 80
    text = document_text(document)
    assert "Section 52" in text
    assert "Proficiency 52.13" in text
    assert "Proficiency 1.1" in text


def test_the_pdf_renderer_refuses_to_fetch_anything():
    fetcher = local_url_fetcher()
    for url in ("http://127.0.0.1:1/x.css", "https://example.com/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    # A page that asks for remote files still renders (without them).
    html = '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"><img src="https://example.com/x.png"><p>Hello</p>'
    assert "Hello" in document_text(pdf_document(html))


def test_excel_record_escapes_text_that_could_be_a_formula(enrolment, educator):
    _fill(enrolment, educator)
    stream = io.BytesIO()
    count = passport_record_xlsx_write(record=_record(enrolment), stream=stream)
    assert count == 6
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Learner", "Oliver Bennett")
    header = [row[0] for row in rows].index("Section")
    table = rows[header + 1 :]
    assert len(table) == 6
    assert table[0][2] == "Proficiency 1.1"
    assert table[0][7] == "Priya Raman"
    assert table[4][6] == '\'=HYPERLINK("http://evil.example","x")'
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_excel_record_is_readable_and_marks_optional_and_supernumerary_items(enrolment, educator):
    """Issue 16 items 7 and 12: a frozen, bold, filtered header; sized columns; dates as UK
    dates; optional and supernumerary proficiencies marked (the PDF marks them too)."""
    _fill(enrolment, educator)
    Proficiency.objects.filter(version=enrolment.version, position=3).update(is_optional=True)
    Proficiency.objects.filter(version=enrolment.version, position=4).update(is_supernumerary=True)
    stream = io.BytesIO()
    passport_record_xlsx_write(record=_record(enrolment), stream=stream)
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [row[0] for row in rows].index("Section") + 1  # 1-based row number
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:M{header + 6}"
    assert all(cell.font.bold for cell in sheet[header])
    assert rows[header - 1][-2:] == ("Optional", "Supernumerary")
    assert rows[header + 2][-2:] == ("Yes", None)
    assert rows[header + 3][-2:] == (None, "Yes")
    assessed = sheet.cell(row=header + 1, column=5)
    assert assessed.number_format == "DD/MM/YYYY HH:MM"
    assert sheet.column_dimensions["C"].width >= len("Proficiency 1.1")
    text = document_text(pdf_document(passport_record_html(record=_record(enrolment))))
    assert "(optional)" in text
    assert "(supernumerary)" in text


# -- who may ask for the record ---------------------------------------------------------------


def _urls(enrolment):
    kwargs = {"enrolment_id": enrolment.public_id}
    return {
        "page": reverse("passports:record", kwargs=kwargs),
        "pdf": reverse("passports:record_pdf", kwargs=kwargs),
        "xlsx": reverse("passports:record_xlsx", kwargs=kwargs),
    }


def test_learner_downloads_own_record_as_pdf_through_a_report_job(
    client, login_as, enrolment, django_capture_on_commit_callbacks
):
    login_as(enrolment.membership.user, enrolment.centre)
    urls = _urls(enrolment)
    page = client.get(urls["page"])
    assert page.status_code == 200
    assert "Download as PDF" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls["pdf"])
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reporting:job", kwargs={"job_id": job.public_id})
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows, job.kind) == ("done", 100, 6, "passport_record_pdf")
    assert job.filename.endswith(".pdf")
    download = client.get(reverse("reporting:download", kwargs={"job_id": job.public_id}))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="passport.record_exported", actor=enrolment.membership.user).exists()


def test_supervisor_and_educator_may_ask_for_the_excel_record(
    client, login_as, enrolment, educator, django_capture_on_commit_callbacks
):
    assessor = MembershipFactory(centre=enrolment.centre, role=Role.ASSESSOR)
    Supervisor.objects.create(centre=enrolment.centre, enrolment=enrolment, user=assessor.user, added_by=educator.user)
    other_educator = MembershipFactory(centre=enrolment.centre, role=Role.EDUCATOR)
    for member in (assessor, educator, other_educator):
        login_as(member.user, enrolment.centre)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_urls(enrolment)["xlsx"])
        assert response.status_code == 302, member
    assert ReportJob.objects.filter(kind="passport_record_xlsx", status="done", rows=6).count() == 3


@pytest.mark.parametrize("who", ["other_learner", "assessor_not_supervising", "administrator", "other_centre"])
def test_others_get_404(client, login_as, enrolment, who):
    if who == "other_centre":
        member = MembershipFactory(role=Role.EDUCATOR)
    else:
        role = {"assessor_not_supervising": Role.ASSESSOR, "administrator": Role.ADMINISTRATOR}.get(who)
        member = MembershipFactory(centre=enrolment.centre, role=role)
    login_as(member.user, member.centre)
    urls = _urls(enrolment)
    assert client.get(urls["page"]).status_code == 404
    assert client.post(urls["pdf"]).status_code == 404
    assert client.post(urls["xlsx"]).status_code == 404
    assert not ReportJob.objects.exists()


def test_removed_enrolment_has_no_record(client, login_as, enrolment):
    enrolment.removed_at = timezone.now()
    enrolment.removed_by = enrolment.enrolled_by
    enrolment.save()
    login_as(enrolment.membership.user, enrolment.centre)
    assert client.get(_urls(enrolment)["page"]).status_code == 404


def test_the_download_buttons_need_a_post(client, login_as, enrolment):
    login_as(enrolment.membership.user, enrolment.centre)
    assert client.get(_urls(enrolment)["pdf"]).status_code == 405
