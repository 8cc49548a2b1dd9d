"""S5 credentials-required templates: the list, a template, a new one (staff group first, so
its job roles can be offered without JavaScript), change, delete, and which one applies."""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from staffpassport.access import settings_required
from staffpassport.forms import StaffMemberSearchForm, TemplateForm, TemplateGroupForm
from staffpassport.models import EmploymentType
from staffpassport.presenters import required_summary
from staffpassport.selectors.catalogue import categories_with_credentials, staff_groups
from staffpassport.selectors.settings import job_role_for, job_roles_in_group, staff_group_by_code
from staffpassport.selectors.templates import (
    custom_template_for_centre,
    template_for,
    template_for_centre,
    template_required_credentials,
    template_resolve,
    templates_list,
)
from staffpassport.selectors.which import staff_member_for, staff_member_search
from staffpassport.services.templates import template_create, template_delete, template_update
from staffpassport.views.common import form_page, service_apply
from submissions.tokens import once_per_submission

TEMPLATES = "staffpassport:templates"


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404 from error


@settings_required
@require_GET
def template_list(request):
    custom, defaults = templates_list(centre=request.centre)
    return render(
        request,
        "staffpassport/settings/templates.html",
        {
            "custom": [(template, required_summary(template)) for template in custom],
            "defaults": [(template, required_summary(template)) for template in defaults],
        },
    )


@settings_required
@require_GET
def template_detail(request, template_id):
    template = template_for_centre(centre=request.centre, public_id=template_id)
    if template is None:
        raise Http404
    return render(
        request,
        "staffpassport/settings/template_detail.html",
        {
            "template": template,
            "required": template_required_credentials(template),
            "summary": required_summary(template),
        },
    )


@settings_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    form = TemplateGroupForm(request.POST or None, staff_groups=staff_groups())
    if request.method == "POST" and form.is_valid():
        return redirect("staffpassport:template_create", staff_group=form.cleaned_data["staff_group"])
    return form_page(request, "staffpassport/settings/template_new.html", {"form": form})


def _initial_from(request, *, centre, staff_group) -> dict:
    """Preselect a job role (?job_role=, from S6) or copy a template's choices (?copy=)."""
    initial = {}
    if request.GET.get("job_role"):
        job_role = job_role_for(centre=centre, public_id=_uuid_or_404(request.GET["job_role"]))
        if job_role is None or job_role.staff_group_id != staff_group.pk:
            raise Http404
        initial["job_role"] = str(job_role.public_id)
    if request.GET.get("copy"):
        source = template_for_centre(centre=centre, public_id=_uuid_or_404(request.GET["copy"]))
        if source is None or source.staff_group_id != staff_group.pk:
            raise Http404
        initial.update(
            employment_types=source.employment_types,
            categories=[category.code for category in source.categories.all()],
            credentials=[credential.code for credential in source.credentials.all()],
        )
    return initial


def _template_form(request, *, centre, staff_group, initial=None) -> TemplateForm:
    return TemplateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        job_roles=job_roles_in_group(centre=centre, staff_group=staff_group),
        categories=categories_with_credentials(),
    )


@settings_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def template_create_view(request, staff_group):
    group = staff_group_by_code(staff_group)
    if group is None:
        raise Http404
    initial = _initial_from(request, centre=request.centre, staff_group=group) if request.method == "GET" else None
    form = _template_form(request, centre=request.centre, staff_group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = service_apply(
            form,
            lambda: template_create(
                centre=request.centre, staff_group=group, created_by=request.user, request=request, **form.values()
            ),
        )
        if created:
            messages.success(request, f"Template “{created.name}” created successfully")
            return redirect(TEMPLATES)
    return form_page(
        request,
        "staffpassport/settings/template_form.html",
        {"form": form, "staff_group": group, "template": None, "back": reverse("staffpassport:template_new")},
    )


def _custom_or_404(request, template_id):
    template = custom_template_for_centre(centre=request.centre, public_id=template_id)
    if template is None:
        raise Http404
    return template


@settings_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id):
    template = _custom_or_404(request, template_id)
    initial = {
        "name": template.name,
        "employment_types": template.employment_types,
        "job_role": str(template.job_role.public_id) if template.job_role else "",
        "categories": [category.code for category in template.categories.all()],
        "credentials": [credential.code for credential in template.credentials.all()],
    }
    form = _template_form(request, centre=request.centre, staff_group=template.staff_group, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = service_apply(
            form, lambda: template_update(template=template, changed_by=request.user, request=request, **form.values())
        )
        if changed:
            messages.success(request, f"Template “{template.name}” updated successfully")
            return redirect(TEMPLATES)
    return form_page(
        request,
        "staffpassport/settings/template_form.html",
        {"form": form, "staff_group": template.staff_group, "template": template, "back": reverse(TEMPLATES)},
    )


@settings_required
@require_http_methods(["GET", "POST"])
def template_delete_view(request, template_id):
    template = _custom_or_404(request, template_id)
    if request.method == "POST":
        name = template.name
        template_delete(template=template, deleted_by=request.user, request=request)
        messages.success(request, f"Template “{name}” deleted. The default template applies to those staff again")
        return redirect(TEMPLATES)
    return render(request, "staffpassport/settings/template_delete.html", {"template": template})


def _what_if(request, centre) -> dict | None:
    """The template for values chosen on the page (staff group, employment type, job role)."""
    group = staff_group_by_code(request.GET.get("staff_group", ""))
    employment_type = request.GET.get("employment_type", "")
    if group is None or employment_type not in EmploymentType.values:
        return None
    job_role = None
    if request.GET.get("job_role"):
        job_role = job_role_for(centre=centre, public_id=_uuid_or_404(request.GET["job_role"]))
        if job_role is None or job_role.staff_group_id != group.pk:
            raise Http404
    template, reasons = template_resolve(
        centre=centre, staff_group=group, employment_type=employment_type, job_role=job_role
    )
    return {"template": template, "reasons": reasons, "staff_group": group, "job_role": job_role}


@settings_required
@require_GET
def template_which(request):
    centre = request.centre
    context = {"search": StaffMemberSearchForm(request.GET if "q" in request.GET else None), "matches": None}
    if context["search"].is_bound and context["search"].is_valid():
        context["matches"] = staff_member_search(centre=centre, query=context["search"].cleaned_data["q"])
    if request.GET.get("staff_member"):
        member = staff_member_for(centre=centre, public_id=_uuid_or_404(request.GET["staff_member"]))
        if member is None:
            raise Http404
        template, reasons = template_for(member)
        context["result"] = {"template": template, "reasons": reasons, "member": member}
    else:
        context["result"] = _what_if(request, centre)
    if context.get("result") and context["result"]["template"] is not None:
        context["required"] = template_required_credentials(context["result"]["template"])
    context.update(
        staff_groups=staff_groups(),
        employment_types=EmploymentType.choices,
        chosen={key: request.GET.get(key, "") for key in ("staff_group", "employment_type", "job_role")},
    )
    return render(request, "staffpassport/settings/template_which.html", context)
