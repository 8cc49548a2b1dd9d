"""S7 the ESR upload page: upload -> check (progress) -> preview with per-row errors ->
confirm -> saved, or cancel; and the example file."""

from dataclasses import asdict
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.roles import Permission
from core.decorators import permission_required
from staffpassport.esr.plan import EsrCounts
from staffpassport.forms_staff import EsrUploadForm
from staffpassport.models import EsrImport
from staffpassport.services import esr_imports as uploads
from submissions.tokens import once_per_submission

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "esr-example.csv"
ERRORS_PER_PAGE = 100
RECENT = 5
MANAGE = Permission.MANAGE_STAFF_PASSPORT


def _import_or_404(request, import_id) -> EsrImport:
    return get_object_or_404(
        EsrImport.objects.for_centre(request.centre).select_related("uploaded_by"), public_id=import_id
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def esr_upload(request):
    form = EsrUploadForm(request.POST, request.FILES) if request.method == "POST" else EsrUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            esr_import = uploads.esr_import_create(
                centre=request.centre, uploaded_by=request.user, file=form.cleaned_data["file"]
            )
        except uploads.EsrImportError as error:
            form.add_error("file", error.message)
        else:
            return redirect("staffpassport:esr_import", import_id=esr_import.public_id)
    recent = EsrImport.objects.for_centre(request.centre).select_related("uploaded_by").defer("errors")[:RECENT]
    return render(
        request,
        "staffpassport/staff/esr_upload.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


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
    context = {
        "esr_import": esr_import,
        # Zero for every count until the first check has run (a queued import has none yet).
        "counts": {**asdict(EsrCounts()), **(esr_import.counts or {})},
        "progress": uploads.esr_import_progress(esr_import),
    }
    if request.htmx and esr_import.is_working:
        return render(request, "staffpassport/staff/_esr_progress.html", context)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if esr_import.status == EsrImport.Status.PREVIEW:
        context["error_page"] = Paginator(esr_import.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    if esr_import.status in {EsrImport.Status.PREVIEW, EsrImport.Status.REJECTED, EsrImport.Status.FAILED}:
        context["upload_form"] = EsrUploadForm()
    return render(request, "staffpassport/staff/esr_import.html", context)


@permission_required(MANAGE)
@require_POST
@once_per_submission
def esr_confirm(request, import_id):
    esr_import = _import_or_404(request, import_id)
    try:
        uploads.esr_import_confirm(esr_import=esr_import, confirmed_by=request.user, request=request)
    except uploads.EsrImportError as error:
        messages.error(request, error.message)
    return redirect("staffpassport:esr_import", import_id=esr_import.public_id)


@permission_required(MANAGE)
@require_POST
def esr_cancel(request, import_id):
    esr_import = _import_or_404(request, import_id)
    try:
        uploads.esr_import_cancel(esr_import=esr_import)
    except uploads.EsrImportError as error:
        messages.error(request, error.message)
        return redirect("staffpassport:esr_import", import_id=esr_import.public_id)
    messages.success(request, f"Import of {esr_import.file_name} cancelled. Nothing was saved.")
    return redirect("staffpassport:esr_upload")
