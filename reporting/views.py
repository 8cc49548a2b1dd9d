"""The report page (progress, then download): only for the person who asked, at their centre."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from centres.permissions import centre_required
from reporting.excel import XLSX_CONTENT_TYPE
from reporting.models import ReportJob
from reporting.services import report_job_retry


def _job_or_404(request, job_id) -> ReportJob:
    jobs = ReportJob.objects.for_centre(request.centre).filter(requested_by=request.user)
    return get_object_or_404(jobs, public_id=job_id)


@centre_required
@require_GET
def report_job(request, job_id):
    job = _job_or_404(request, job_id)
    template = "reporting/_status.html" if request.htmx else "reporting/job.html"
    return render(request, template, {"job": job})


@centre_required
@require_GET
def report_download(request, job_id):
    job = _job_or_404(request, job_id)
    if job.status != ReportJob.Status.DONE or not job.file:
        return render(request, "reporting/job.html", {"job": job}, status=409)
    content_type = "application/pdf" if job.filename.endswith(".pdf") else XLSX_CONTENT_TYPE
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type)


@centre_required
@require_POST
def report_retry(request, job_id):
    """The "Try again" button of a failed job: the same job (same person, centre and parameters)."""
    report_job_retry(job=_job_or_404(request, job_id))
    return redirect("reporting:job", job_id=job_id)
