"""U1/U2/U4/U5 bulk upload: the page with the downloads and the upload form, the upload's
own page (progress, preview, results), confirm and cancel."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres import background
from centres.audit import audit_record
from centres.bulk import uploads as bulk_uploads
from centres.bulk.columns import DELEGATES_SHEET, JOB_GROUPS_SHEET
from centres.bulk.download import delegates_workbook
from centres.bulk.forms import BulkConfirmForm, BulkUploadForm
from centres.models import BulkUpload
from centres.permissions import has_permission
from centres.roles import Permission
from core.decorators import permission_required
from reporting.excel import XLSX_CONTENT_TYPE
from reporting.upload_views import upload_cancelled, upload_confirmed, upload_page, upload_retried, upload_start
from submissions.tokens import once_per_submission

RECENT_UPLOADS = 5
WORKFLOW = bulk_uploads.WORKFLOW


PEOPLE_PER_PAGE = 25


def _upload_or_404(request, upload_id, *, defer_errors=False) -> BulkUpload:
    uploads = BulkUpload.objects.for_centre(request.centre).select_related("uploaded_by")
    if defer_errors:
        uploads = uploads.defer("errors", "people")
    return get_object_or_404(uploads, public_id=upload_id)


def _upload_url(upload: BulkUpload) -> str:
    return reverse("centres:delegates_bulk_upload", kwargs={"upload_id": upload.public_id})


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def bulk_page(request):
    form = BulkUploadForm(request.POST, request.FILES) if request.method == "POST" else BulkUploadForm()
    if upload := upload_start(request, WORKFLOW, form):
        return redirect(_upload_url(upload))
    context = {
        "form": form,
        "recent_uploads": bulk_uploads.recent_uploads(request.centre, limit=RECENT_UPLOADS),
        "delegates_sheet": DELEGATES_SHEET,
        "job_groups_sheet": JOB_GROUPS_SHEET,
    }
    return render(request, "centres/delegates/bulk.html", context, status=400 if form.errors else 200)


def _upload_page(request, upload: BulkUpload, *, confirm_form=None, status=200):
    context = {"upload": upload, "confirm_form": confirm_form or BulkConfirmForm()}
    if not request.htmx and upload.status in {BulkUpload.Status.PREVIEW, BulkUpload.Status.COMMITTED}:
        # Who is added and what changes: stored by the worker's check, shown a page at a time.
        context["people_page"] = Paginator(upload.people, PEOPLE_PER_PAGE).get_page(request.GET.get("people"))
    return upload_page(
        request,
        WORKFLOW,
        upload,
        template="centres/delegates/bulk_upload.html",
        progress_template="centres/delegates/_bulk_progress.html",
        context=context,
        upload_form=BulkUploadForm(),
        status=status,
    )


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def bulk_upload(request, upload_id):
    upload = _upload_or_404(request, upload_id, defer_errors=bool(request.htmx))
    return _upload_page(request, upload)


@permission_required(Permission.MANAGE_DELEGATES)
@require_POST
def bulk_upload_confirm(request, upload_id):
    upload = _upload_or_404(request, upload_id)
    form = BulkConfirmForm(request.POST)
    if not form.is_valid():
        return _upload_page(request, upload, confirm_form=form, status=400)
    welcome = form.cleaned_data["welcome"]
    return upload_confirmed(
        request,
        WORKFLOW,
        upload,
        _upload_url(upload),
        welcome=welcome,
        welcome_send_after=form.welcome_datetime() if welcome == BulkUpload.Welcome.LATER else None,
    )


@permission_required(Permission.MANAGE_DELEGATES)
@require_POST
@once_per_submission
def bulk_upload_retry(request, upload_id):
    upload = _upload_or_404(request, upload_id, defer_errors=True)
    return upload_retried(request, WORKFLOW, upload, _upload_url(upload))


@permission_required(Permission.MANAGE_DELEGATES)
@require_POST
def bulk_upload_cancel(request, upload_id):
    upload = _upload_or_404(request, upload_id, defer_errors=True)
    done = reverse("centres:delegates_bulk")
    return upload_cancelled(request, WORKFLOW, upload, job_url=_upload_url(upload), done_url=done, noun="Upload")


# The downloads are POST buttons on the bulk page: each is audited, and the current delegates'
# workbook is personal data leaving the service, so a link followed from another site must not
# make one (ADR 0017). A GET just shows the bulk page.


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def bulk_template(request):
    """The blank template (no delegates: small whatever the centre's size), in the request."""
    if request.method != "POST":
        return redirect("centres:delegates_bulk")
    centre = request.centre
    content = delegates_workbook(centre=centre, include_delegates=False)
    audit_record(
        actor=request.user,
        centre=centre,
        action="delegates.bulk_downloaded",
        summary="Blank bulk upload template downloaded",
        request=request,
    )
    filename = f"{centre.code}-delegates-template-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def bulk_current(request):
    """U1 "current delegates": built by the worker (it grows with the centre); the report
    page shows progress and then the download."""
    if request.method != "POST":
        return redirect("centres:delegates_bulk")
    job = background.current_workbook_job_create(
        centre=request.centre,
        requested_by=request.user,
        include_prn=has_permission(request, Permission.VIEW_PRN),
    )
    return redirect("reporting:job", job_id=job.public_id)
