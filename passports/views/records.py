"""P9 record downloads and certificate, P10 centre progress report. Builders live in
`passports.records`; the files are built by a worker through `reporting`."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.audit import audit_record
from centres.roles import Permission
from core.decorators import centre_required, permission_required
from passports import records
from passports.access import RECORD_ACCESS, passport_access_for
from passports.certificates import certificate_for_enrolment, certificate_pdf
from passports.forms import ProgressReportForm, ReportChartsFilterForm
from passports.models import Enrolment
from passports.progress_report import PROGRESS_REPORT_ACCESS, PROGRESS_XLSX_KIND
from passports.selectors.reports import framework_charts, report_job_groups
from reporting.services import report_job_create
from submissions.tokens import once_per_submission


def _record_enrolment_or_404(request, enrolment_id) -> Enrolment:
    """The enrolment at the current centre, if this person may see its record; else 404
    (another learner's, or a centre B id, look the same as an id that names nothing)."""
    enrolment = passport_access_for(request).record_enrolment(enrolment_id)
    if enrolment is None:
        raise Http404("No passport record with that id for you at this centre")
    return enrolment


def _file_stem(enrolment: Enrolment) -> str:
    return slugify(f"passport-{enrolment.membership.delegate_number}-{enrolment.framework.name}")[:80]


@centre_required
@require_GET
def record_download(request, enrolment_id):
    enrolment = _record_enrolment_or_404(request, enrolment_id)
    context = {
        "enrolment": enrolment,
        "learner": enrolment.membership.user,
        "is_own": enrolment.membership.user_id == request.user.pk,
        "certificate": certificate_for_enrolment(enrolment=enrolment),
    }
    return render(request, "passports/records/download.html", context)


def _record_job(request, enrolment_id, *, kind: str, title: str, extension: str):
    enrolment = _record_enrolment_or_404(request, enrolment_id)
    job = report_job_create(
        centre=request.centre,
        requested_by=request.user,
        kind=kind,
        title=title,
        params={"enrolment_id": str(enrolment.public_id)},
        filename=f"{_file_stem(enrolment)}-{timezone.localdate():%Y-%m-%d}.{extension}",
        access=RECORD_ACCESS,
    )
    return redirect("reporting:job", job_id=job.public_id)


@centre_required
@require_POST
@once_per_submission
def record_pdf(request, enrolment_id):
    return _record_job(
        request, enrolment_id, kind=records.RECORD_PDF_KIND, title="Passport record (PDF)", extension="pdf"
    )


@centre_required
@require_POST
@once_per_submission
def record_xlsx(request, enrolment_id):
    return _record_job(
        request, enrolment_id, kind=records.RECORD_XLSX_KIND, title="Passport record (Excel)", extension="xlsx"
    )


@centre_required
@require_GET
def record_certificate(request, enrolment_id):
    enrolment = _record_enrolment_or_404(request, enrolment_id)
    certificate = certificate_for_enrolment(enrolment=enrolment)
    if certificate is None:
        raise Http404("This passport has no valid certificate")
    response = HttpResponse(
        certificate_pdf(certificate=certificate, enrolment=enrolment), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(enrolment)}-certificate.pdf"'
    # A file with personal data leaving the service: every download is recorded (ADR 0017).
    audit_record(
        actor=request.user,
        centre=request.centre,
        action="passport.certificate_downloaded",
        target=enrolment,
        summary=f"Certificate {certificate.code} of {enrolment.membership.delegate_number} "
        f"({enrolment.framework.name}) downloaded",
        request=request,
    )
    return response


@permission_required(Permission.VIEW_REPORTS)
@require_http_methods(["GET", "POST"])
@once_per_submission
def progress_report(request):
    """P10: one row per current enrolment at the centre, as Excel built by a worker; above it,
    each framework's figures as bar charts."""
    frameworks = (
        Enrolment.objects.for_centre(request.centre)
        .filter(removed_at__isnull=True)
        .values_list("framework__public_id", "framework__name")
        .order_by("framework__name")
        .distinct()
    )
    form = ProgressReportForm(request.POST or None, frameworks=list(frameworks))
    if request.method == "POST" and form.is_valid():
        framework_id = form.cleaned_data["framework"]
        framework_name = form.frameworks.get(framework_id, "")
        job = report_job_create(
            centre=request.centre,
            requested_by=request.user,
            kind=PROGRESS_XLSX_KIND,
            title="Passport progress report",
            params={"framework_id": framework_id, "framework_name": framework_name},
            filename=f"passport-progress-{request.centre.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
            access=PROGRESS_REPORT_ACCESS,
        )
        return redirect("reporting:job", job_id=job.public_id)
    status = 400 if form.errors else 200
    return render(request, "passports/reports/progress.html", {"form": form, **_charts(request)}, status=status)


def _charts(request) -> dict:
    """The pictures before any download (issue 16 item 4), for all learners or one job group."""
    filter_form = ReportChartsFilterForm(request.GET or None, job_groups=report_job_groups(centre=request.centre))
    job_group = filter_form.cleaned_data["job_group"] if filter_form.is_valid() else None
    return {
        "filter_form": filter_form,
        "job_group_name": filter_form.job_group_names.get(job_group),
        "charts": framework_charts(centre=request.centre, today=timezone.localdate(), job_group_id=job_group),
    }
