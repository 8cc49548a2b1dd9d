"""The upload pages' shared view steps (ADR 0042), for a feature's thin views over its
`UploadWorkflow`: start an upload from the form, show an upload's page (progress while the
worker checks or saves, the preview with its row errors a page at a time, the outcome), and
cancel. The feature's views check permissions and find the job through `request.centre`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from reporting.upload_workflow import Status, UploadWorkflow

ERRORS_PER_PAGE = 100


def upload_start(request, workflow: UploadWorkflow, form):
    """The job made from a valid posted form, or None (the form then carries the error)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return workflow.create(centre=request.centre, uploaded_by=request.user, file=form.cleaned_data["file"])
    except workflow.error as error:
        form.add_error("file", error.message)
        return None


def upload_page(request, workflow: UploadWorkflow, job, *, template: str, progress_template: str, context: dict,
                upload_form, status: int = 200):  # fmt: skip
    """The job's page; to htmx polling while it works, the progress partial, then (once it
    is done) a refresh so the browser loads the outcome."""
    context = {**context, "progress": workflow.progress(job)}
    if request.htmx:
        if job.is_working:
            return render(request, progress_template, context)
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if job.status == Status.PREVIEW:
        context["error_page"] = Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    if job.status in {Status.PREVIEW, Status.REJECTED, Status.FAILED}:
        context["upload_form"] = upload_form
    return render(request, template, context, status=status)


def upload_confirmed(request, workflow: UploadWorkflow, job, job_url: str, **choices):
    """Confirm (the save runs now or in the worker), then back to the job's page."""
    try:
        workflow.confirm(job=job, confirmed_by=request.user, request=request, **choices)
    except workflow.error as error:
        messages.error(request, error.message)
    return redirect(job_url)


def upload_retried(request, workflow: UploadWorkflow, job, job_url: str):
    """ "Try again" after a failed save whose file was fine, then back to the job's page."""
    try:
        workflow.retry(job=job, confirmed_by=request.user, request=request)
    except workflow.error as error:
        messages.error(request, error.message)
    return redirect(job_url)


def upload_cancelled(request, workflow: UploadWorkflow, job, *, job_url: str, done_url: str, noun: str):
    try:
        workflow.cancel(job=job)
    except workflow.error as error:
        messages.error(request, error.message)
        return redirect(job_url)
    messages.success(request, f"{noun} of {job.file_name} cancelled. Nothing was saved.")
    return redirect(done_url)
