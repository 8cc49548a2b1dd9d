"""U1 bulk upload page and the workbook downloads (blank template, current delegates)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from centres.audit import audit_record
from centres.bulk_columns import DELEGATES_SHEET, JOB_GROUPS_SHEET
from centres.bulk_download import delegates_workbook
from centres.permissions import has_permission, permission_required
from centres.roles import Permission
from reporting.excel import XLSX_CONTENT_TYPE


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def bulk_page(request):
    context = {"delegates_sheet": DELEGATES_SHEET, "job_groups_sheet": JOB_GROUPS_SHEET}
    return render(request, "centres/delegates/bulk.html", context)


def _download(request, *, include_delegates: bool) -> HttpResponse:
    centre = request.centre
    include_prn = has_permission(request, Permission.VIEW_PRN)
    content = delegates_workbook(centre=centre, include_delegates=include_delegates, include_prn=include_prn)
    if include_delegates:
        count = centre.memberships.count()
        summary = f"Bulk upload workbook downloaded with {count} delegate record{'' if count == 1 else 's'}" + (
            " including PRNs" if include_prn else ""
        )
    else:
        summary = "Blank bulk upload template downloaded"
    # Personal data leaving the service (or the template): recorded either way.
    audit_record(
        actor=request.user, centre=centre, action="delegates.bulk_downloaded", summary=summary, request=request
    )
    kind = "delegates" if include_delegates else "delegates-template"
    filename = f"{centre.code}-{kind}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def bulk_template(request):
    return _download(request, include_delegates=False)


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def bulk_current(request):
    return _download(request, include_delegates=True)
