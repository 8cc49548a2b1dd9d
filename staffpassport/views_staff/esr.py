"""S7 the ESR upload page: upload -> check (progress) -> preview with per-row errors ->
confirm -> saved, or cancel; and the example file."""

from dataclasses import asdict
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.roles import Permission
from core.decorators import permission_required
from reporting.upload_views import upload_cancelled, upload_confirmed, upload_page, upload_retried, upload_start
from staffpassport.esr.plan import EsrCounts
from staffpassport.forms_staff import EsrUploadForm
from staffpassport.models import EsrImport
from staffpassport.services import esr_imports as uploads
from submissions.tokens import once_per_submission

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "esr-example.csv"
RECENT = 5
MANAGE = Permission.MANAGE_STAFF_PASSPORT
WORKFLOW = uploads.WORKFLOW


def _import_or_404(request, import_id) -> EsrImport:
    return get_object_or_404(
        EsrImport.objects.for_centre(request.centre).select_related("uploaded_by"), public_id=import_id
    )


def _import_url(esr_import: EsrImport) -> str:
    return reverse("staffpassport:esr_import", kwargs={"import_id": esr_import.public_id})


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def esr_upload(request):
    form = EsrUploadForm(request.POST, request.FILES) if request.method == "POST" else EsrUploadForm()
    if esr_import := upload_start(request, WORKFLOW, form):
        return redirect(_import_url(esr_import))
    context = {"form": form, "recent": WORKFLOW.recent(request.centre, limit=RECENT)}
    return render(request, "staffpassport/staff/esr_upload.html", context, status=400 if form.errors else 200)


@permission_required(MANAGE)
@require_GET
def esr_example(request):
    response = HttpResponse(EXAMPLE.read_bytes(), content_type="text/csv")  # a small file
    response["Content-Disposition"] = 'attachment; filename="esr-feed-example.csv"'
    return response


@permission_required(MANAGE)
@require_GET
def esr_import(request, import_id):
    esr_import = _import_or_404(request, import_id)
    # Zero for every count until the first check has run (a queued import has none yet).
    counts = {**asdict(EsrCounts()), **(esr_import.counts or {})}
    return upload_page(
        request,
        WORKFLOW,
        esr_import,
        template="staffpassport/staff/esr_import.html",
        progress_template="staffpassport/staff/_esr_progress.html",
        context={"esr_import": esr_import, "counts": counts},
        upload_form=EsrUploadForm(),
    )


@permission_required(MANAGE)
@require_POST
@once_per_submission
def esr_confirm(request, import_id):
    esr_import = _import_or_404(request, import_id)
    return upload_confirmed(request, WORKFLOW, esr_import, _import_url(esr_import))


@permission_required(MANAGE)
@require_POST
@once_per_submission
def esr_retry(request, import_id):
    esr_import = _import_or_404(request, import_id)
    return upload_retried(request, WORKFLOW, esr_import, _import_url(esr_import))


@permission_required(MANAGE)
@require_POST
def esr_cancel(request, import_id):
    esr_import = _import_or_404(request, import_id)
    done = reverse("staffpassport:esr_upload")
    return upload_cancelled(
        request, WORKFLOW, esr_import, job_url=_import_url(esr_import), done_url=done, noun="Import"
    )
