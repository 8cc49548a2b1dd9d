"""The report page (progress, then download): only for the person who asked, at their centre,
while they still hold what allowed the report (ADR 0017). Every download, and every refused
one, is audited."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.decorators import centre_required
from reporting.audit import report_audit_record
from reporting.downloads import report_job_may_download
from reporting.excel import XLSX_CONTENT_TYPE
from reporting.models import ReportJob
from reporting.registry import report_kind
from reporting.services import report_job_retry


def _job_or_404(request, job_id, *, downloading: bool = False) -> ReportJob:
    """The person's own job at the current centre, if they may still have it; otherwise 404,
    exactly as for an id that names nothing (not theirs looks missing)."""
    jobs = ReportJob.objects.for_centre(request.centre).filter(requested_by=request.user)
    job = get_object_or_404(jobs, public_id=job_id)
    if not report_job_may_download(job=job, user=request.user, held=request.centre_access.permissions):
        if downloading:
            _audit(request, job, refused=True)
        raise Http404("No report with that id for you at this centre")
    return job


def _audit(request, job: ReportJob, *, refused: bool) -> None:
    try:
        kind = report_kind(job.kind)
        action = kind.refused_action if refused else kind.downloaded_action
    except KeyError:
        action = "reporting.report_download_refused" if refused else "reporting.report_downloaded"
    summary = (
        f"Download of “{job.title}” ({job.filename}) refused: the access that allowed it is no longer held"
        if refused
        else f"Downloaded “{job.title}” ({job.filename}, {job.rows} row{'' if job.rows == 1 else 's'})"
    )
    report_audit_record(
        actor=request.user, centre=job.centre, action=action, target=job, summary=summary, request=request
    )


@centre_required
@require_GET
def report_job(request, job_id):
    job = _job_or_404(request, job_id)
    template = "reporting/_status.html" if request.htmx else "reporting/job.html"
    return render(request, template, {"job": job})


@centre_required
@require_GET
def report_download(request, job_id):
    job = _job_or_404(request, job_id, downloading=True)
    if job.status != ReportJob.Status.DONE or not job.file:
        return render(request, "reporting/job.html", {"job": job}, status=409)
    content_type = "application/pdf" if job.filename.endswith(".pdf") else XLSX_CONTENT_TYPE
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=content_type)
    _audit(request, job, refused=False)
    return response


@centre_required
@require_POST
def report_retry(request, job_id):
    """The "Try again" button of a failed job: the same job (same person, centre and parameters)."""
    report_job_retry(job=_job_or_404(request, job_id))
    return redirect("reporting:job", job_id=job_id)
