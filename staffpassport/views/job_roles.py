"""S6 job roles within each ESR staff group: the groups, a group's roles, add, rename, delete."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from staffpassport.access import settings_required
from staffpassport.forms import JobRoleCreateForm, JobRoleForm
from staffpassport.selectors.settings import (
    job_role_for,
    job_roles_in_group,
    staff_group_by_code,
    staff_groups_with_role_counts,
)
from staffpassport.services.job_roles import job_role_create, job_role_delete, job_role_rename
from staffpassport.views.common import form_page, service_apply
from submissions.tokens import once_per_submission


def _group_or_404(code: str):
    group = staff_group_by_code(code)
    if group is None:
        raise Http404
    return group


def _role_or_404(request, job_role_id):
    job_role = job_role_for(centre=request.centre, public_id=job_role_id)
    if job_role is None:
        raise Http404
    return job_role


@settings_required
@require_GET
def job_role_groups(request):
    return render(
        request, "staffpassport/settings/job_roles.html", {"rows": staff_groups_with_role_counts(centre=request.centre)}
    )


@settings_required
@require_GET
def job_role_group(request, staff_group):
    group = _group_or_404(staff_group)
    return render(
        request,
        "staffpassport/settings/job_role_group.html",
        {"group": group, "job_roles": job_roles_in_group(centre=request.centre, staff_group=group)},
    )


@settings_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def job_role_add(request, staff_group):
    group = _group_or_404(staff_group)
    group_url = reverse("staffpassport:job_role_group", kwargs={"staff_group": group.code})
    form = JobRoleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_cancel():
        return redirect(group_url)
    if request.method == "POST" and form.is_valid():
        created = service_apply(
            form,
            lambda: job_role_create(
                centre=request.centre,
                staff_group=group,
                name=form.cleaned_data["name"],
                created_by=request.user,
                request=request,
            ),
        )
        if created:
            messages.success(request, f"Job role “{created.name}” created")
            if form.cleaned_data["next_step"] == "template":
                create_url = reverse("staffpassport:template_create", kwargs={"staff_group": group.code})
                return redirect(f"{create_url}?job_role={created.public_id}")
            return redirect(group_url)
    return form_page(request, "staffpassport/settings/job_role_add.html", {"form": form, "group": group})


@settings_required
@require_http_methods(["GET", "POST"])
def job_role_edit(request, job_role_id):
    job_role = _role_or_404(request, job_role_id)
    form = JobRoleForm(request.POST or None, initial={"name": job_role.name})
    if request.method == "POST" and form.is_valid():
        before = job_role.name
        done = service_apply(
            form,
            lambda: job_role_rename(
                job_role=job_role, name=form.cleaned_data["name"], changed_by=request.user, request=request
            ),
        )
        if done:
            messages.success(request, f"Job role “{before}” renamed to “{job_role.name}”")
            return redirect("staffpassport:job_role_group", staff_group=job_role.staff_group.code)
        job_role.name = before
    return form_page(request, "staffpassport/settings/job_role_edit.html", {"form": form, "job_role": job_role})


@settings_required
@require_http_methods(["GET", "POST"])
def job_role_delete_view(request, job_role_id):
    job_role = _role_or_404(request, job_role_id)
    templates = list(job_role.templates.order_by("name"))
    if request.method == "POST":
        group_code = job_role.staff_group.code
        name = job_role.name
        deleted = job_role_delete(job_role=job_role, deleted_by=request.user, request=request)
        extra = f". Templates deleted with it: {', '.join(deleted)}" if deleted else ""
        messages.success(request, f"Job role “{name}” deleted{extra}")
        return redirect("staffpassport:job_role_group", staff_group=group_code)
    return render(
        request, "staffpassport/settings/job_role_delete.html", {"job_role": job_role, "templates": templates}
    )
