"""P1 platform staff pages: list frameworks and versions, upload a spreadsheet as a draft,
download a version, publish a draft, start a new draft, view a version (read-only).

Frameworks belong to the platform, not a centre: every view is for platform staff
(`user.is_staff`, else 403, as the other platform pages) and reads through
`passports.selectors.frameworks`."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.audit import audit_record
from core.decorators import platform_staff_required
from core.forms import form_add_service_error
from core.presenters import tag
from passports.forms import FrameworkUploadForm
from passports.models import FrameworkVersion
from passports.selectors import frameworks as selectors
from passports.services import framework_rows
from passports.services import frameworks as services
from reporting.excel import XLSX_CONTENT_TYPE
from submissions.tokens import once_per_submission

STATUS_TAG_COLOURS = {
    FrameworkVersion.Status.DRAFT: "yellow",
    FrameworkVersion.Status.PUBLISHED: "green",
    FrameworkVersion.Status.RETIRED: "grey",
}


def status_tag(version) -> dict:
    return tag(version.get_status_display(), STATUS_TAG_COLOURS[version.status])


def _version_or_404(version_id) -> FrameworkVersion:
    version = selectors.framework_version_get(public_id=version_id)
    if version is None:
        raise Http404("No such framework version")
    return version


@platform_staff_required
@require_GET
def framework_list(request):
    frameworks = selectors.frameworks_with_versions()
    return render(
        request,
        "passports/frameworks/list.html",
        {"frameworks": frameworks, "status_tag": status_tag, "columns": framework_rows.COLUMNS},
    )


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def framework_upload(request):
    frameworks = selectors.frameworks_with_versions()
    initial = {"framework": request.GET.get("framework", "")}
    form = FrameworkUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        frameworks=frameworks,
        initial=initial,
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.framework_version_import(
                file=data["file"],
                created_by=request.user,
                framework=data.get("framework_obj"),
                name=data.get("name"),
                request=request,
            )
        except framework_rows.FrameworkError as error:
            problems = error.problems
            form_add_service_error(form, error, field="file")
        else:
            messages.success(
                request,
                f"Version {version.number} of {version.framework.name} is saved as a draft. Check it, then publish it.",
            )
            return redirect("frameworks:version", version_id=version.public_id)
    return render(
        request,
        "passports/frameworks/upload.html",
        {"form": form, "problems": problems, "columns": framework_rows.COLUMNS},
        status=400 if form.errors else 200,
    )


@platform_staff_required
@require_GET
def version_detail(request, version_id):
    version = _version_or_404(version_id)
    framework = version.framework
    has_draft = framework.versions.filter(status=FrameworkVersion.Status.DRAFT).exists()
    context = {
        "version": version,
        "framework": framework,
        "sections": selectors.framework_version_sections(version),
        "tag": status_tag(version),
        "can_start_draft": version.status == FrameworkVersion.Status.PUBLISHED and not has_draft,
    }
    return render(request, "passports/frameworks/version.html", context)


@platform_staff_required
@require_GET
def version_download(request, version_id):
    version = _version_or_404(version_id)
    stream = io.BytesIO()
    count = framework_rows.framework_version_export(version=version, stream=stream)
    audit_record(
        actor=request.user,
        action="framework.version_downloaded",
        target=version,
        summary=f"Version {version.number} of “{version.framework.name}” downloaded ({count} proficiencies)",
        request=request,
    )
    response = HttpResponse(stream.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{framework_rows.framework_version_filename(version)}"'
    return response


@platform_staff_required
@require_http_methods(["GET", "POST"])
def version_publish(request, version_id):
    """Confirm, then publish."""
    version = _version_or_404(version_id)
    if version.status != FrameworkVersion.Status.DRAFT:
        state = version.get_status_display().lower()
        messages.error(request, f"Version {version.number} is {state}: only a draft can be published.")
        return redirect("frameworks:version", version_id=version.public_id)
    if request.method == "GET":
        published = version.framework.versions.filter(status=FrameworkVersion.Status.PUBLISHED).first()
        return render(request, "passports/frameworks/publish.html", {"version": version, "published": published})
    try:
        services.framework_version_publish(version=version, published_by=request.user, request=request)
    except framework_rows.FrameworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Version {version.number} of {version.framework.name} is published.")
    return redirect("frameworks:version", version_id=version.public_id)


@platform_staff_required
@require_POST
@once_per_submission
def version_draft_start(request, version_id):
    version = _version_or_404(version_id)
    try:
        draft = services.framework_version_draft_start(
            framework=version.framework, created_by=request.user, request=request
        )
    except framework_rows.FrameworkError as error:
        messages.error(request, error.message)
        return redirect("frameworks:version", version_id=version.public_id)
    messages.success(
        request,
        f"Version {draft.number} of {draft.framework.name} is a new draft, copied from version {version.number}. "
        "Download it, change the spreadsheet and upload it to change the draft.",
    )
    return redirect("frameworks:version", version_id=draft.public_id)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def version_delete(request, version_id):
    """Confirm, then delete a draft."""
    version = _version_or_404(version_id)
    if version.status != FrameworkVersion.Status.DRAFT:
        state = version.get_status_display().lower()
        messages.error(request, f"Version {version.number} is {state}: only a draft can be deleted.")
        return redirect("frameworks:version", version_id=version.public_id)
    if request.method == "GET":
        return render(request, "passports/frameworks/delete.html", {"version": version})
    try:
        services.framework_version_draft_delete(version=version, deleted_by=request.user, request=request)
    except framework_rows.FrameworkError as error:
        messages.error(request, error.message)
        return redirect("frameworks:version", version_id=version.public_id)
    messages.success(request, f"The draft version {version.number} of {version.framework.name} is deleted.")
    return redirect("frameworks:list")
