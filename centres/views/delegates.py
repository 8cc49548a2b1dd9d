"""C6 delegate list and export, C7 delegate details, edit, deactivate/reactivate and delete."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from centres.exports import delegate_report_access
from centres.forms.delegates import DelegateEditForm, DelegateFilterForm
from centres.models import JobGroup, RegistrationPrompt
from centres.ownership import account_change_blocker
from centres.paging import KeysetPaginator
from centres.permissions import has_permission, permission_required
from centres.presenters import delegate_card, delegate_filter_summary, page_links
from centres.roles import Permission
from centres.second_factor import user_has_second_factor
from centres.selectors.delegates import (
    delegate_count,
    delegate_deletion_blocker,
    delegate_for_centre,
    delegate_search,
    delegate_sort_keys,
    delegates_exist,
)
from centres.services.delegates import delegate_deactivate as delegate_deactivate_service
from centres.services.delegates import delegate_delete as delegate_delete_service
from centres.services.delegates import delegate_email_change_blocker, delegate_update
from centres.services.delegates import delegate_reactivate as delegate_reactivate_service
from centres.services.errors import CentreServiceError, DelegateEmailTakenError
from reporting.services import report_job_create

PAGE_SIZE = 25


def _prompts(request) -> list[RegistrationPrompt]:
    return list(RegistrationPrompt.objects.for_centre(request.centre).order_by("position"))


def _filter_form(request, prompts) -> DelegateFilterForm:
    return DelegateFilterForm(request.GET, prompts=prompts, job_groups=JobGroup.objects.all())


def _delegate_or_404(request, membership_id):
    membership = delegate_for_centre(centre=request.centre, public_id=membership_id)
    if membership is None:
        raise Http404("No delegate with that id at this centre")
    return membership


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def delegate_list(request):
    prompts = _prompts(request)
    form = _filter_form(request, prompts)
    filters = form.filters()
    delegates = delegate_search(centre=request.centre, filters=filters)
    keys, descending = delegate_sort_keys(filters)
    # Keyset pages: the last page of 50,000 delegates costs what the first does (ADR 0022).
    count = delegate_count(centre=request.centre, filters=filters)
    page = KeysetPaginator(delegates, PAGE_SIZE, keys=keys, descending=descending, count=count).page_at(
        request.GET.get("page"), after=request.GET.get("after"), before=request.GET.get("before")
    )
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    context = {
        "form": form,
        "filtered": bool(set(filters) - {"sort"}),
        "filter_summary": delegate_filter_summary(form),
        "page": page,
        "cards": [delegate_card(membership) for membership in page.object_list],
        "pages": page_links(page, query.urlencode()),
        "query": query.urlencode(),
        "centre_has_delegates": page.paginator.count > 0 or delegates_exist(centre=request.centre),
    }
    return render(request, "centres/delegates/list.html", context)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def delegate_export(request):
    """C6/X3: the filtered list (filters in the query string) as Excel, built by a worker; the
    report page shows progress. Only a POST (the list's button) asks for it: a GET, e.g. a
    link followed from another site, just shows the list (ADR 0017)."""
    if request.method != "POST":
        query = request.GET.urlencode()
        return redirect(reverse("centres:delegate_list") + (f"?{query}" if query else ""))
    prompts = _prompts(request)
    form = _filter_form(request, prompts)
    include_prn = has_permission(request, Permission.VIEW_PRN)
    job = report_job_create(
        centre=request.centre,
        requested_by=request.user,
        kind="delegates",
        title="Delegates spreadsheet",
        params={
            "filters": form.filters(),
            "filter_summary": delegate_filter_summary(form),
            "include_prn": include_prn,
        },
        filename=f"delegates-{request.centre.code}-{timezone.localdate():%Y-%m-%d}.xlsx",
        access=delegate_report_access(include_prn=include_prn),
    )
    return redirect("reporting:job", job_id=job.public_id)


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def delegate_detail(request, membership_id):
    membership = _delegate_or_404(request, membership_id)
    context = {
        "membership": membership,
        "card": delegate_card(membership),
        "prompts": _prompts(request),
        "show_prn": has_permission(request, Permission.VIEW_PRN),
        "can_manage_roles": has_permission(request, Permission.GRANT_ROLES),
        "can_reset_second_factor": has_permission(request, Permission.UNLOCK_ACCOUNTS),
        "has_second_factor": user_has_second_factor(membership.user),
        "deletion_blocker": delegate_deletion_blocker(membership=membership),
    }
    return render(request, "centres/delegates/detail.html", context)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def delegate_edit(request, membership_id):
    membership = _delegate_or_404(request, membership_id)
    prompts = _prompts(request)
    job_groups = list(JobGroup.objects.all())
    show_prn = has_permission(request, Permission.VIEW_PRN)
    form = DelegateEditForm(
        request.POST if request.method == "POST" else None,
        initial=DelegateEditForm.initial_for(membership),
        prompts=prompts,
        job_groups=job_groups,
    )
    if not show_prn:  # someone who may not see the PRN cannot change it either
        form.fields.pop("has_prn")
        form.fields.pop("prn")
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        has_prn = {"yes": True, "no": False}.get(cleaned.get("has_prn")) if show_prn else membership.has_prn
        try:
            delegate_update(
                membership=membership,
                updated_by=request.user,
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
                email=cleaned["email"],
                centre_email=cleaned["centre_email"],
                job_group=next(group for group in job_groups if group.pk == cleaned["job_group"]),
                answers=form.answers(),
                has_prn=has_prn,
                prn=cleaned.get("prn", "") if show_prn else membership.prn,
                request=request,
            )
        except CentreServiceError as error:
            membership.user.refresh_from_db()  # the page shows what is saved, not what was refused
            form.add_error("email" if isinstance(error, DelegateEmailTakenError) else None, str(error))
        else:
            messages.success(request, f"{membership.user.get_full_name()}'s details have been saved.")
            return redirect("centres:delegate_detail", membership_id=membership.public_id)
    context = {
        "form": form,
        "membership": membership,
        "email_blocker": delegate_email_change_blocker(membership=membership, changed_by=request.user),
        "name_blocker": account_change_blocker(
            user=membership.user, centre=membership.centre, changed_by=request.user, email=False
        ),
    }
    return render(request, "centres/delegates/edit.html", context, status=400 if form.errors else 200)


def _confirm(request, membership, *, action: str, perform, done: str, **copy):
    """The shared confirmation page (GET) and its POST for deactivate, reactivate and delete."""
    if request.method == "POST":
        try:
            perform()
        except CentreServiceError as error:
            messages.error(request, str(error))
            return redirect("centres:delegate_detail", membership_id=membership.public_id)
        messages.success(request, done)
        if action == "delete":
            return redirect("centres:delegate_list")
        return redirect("centres:delegate_detail", membership_id=membership.public_id)
    return render(request, "centres/delegates/confirm.html", {"membership": membership, "action": action, **copy})


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def delegate_deactivate(request, membership_id):
    membership = _delegate_or_404(request, membership_id)
    name = membership.user.get_full_name()
    return _confirm(
        request,
        membership,
        action="deactivate",
        perform=lambda: delegate_deactivate_service(
            membership=membership, deactivated_by=request.user, request=request
        ),
        done=f"{name} has been deactivated.",
        heading=f"Deactivate {name}?",
        body=(
            f"{name} will no longer be able to use {request.centre.name}. Their record and their learning "
            "are kept, and you can reactivate them at any time."
        ),
        button_text="Deactivate",
        blocked="" if membership.is_active else f"{name} is already inactive.",
    )


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def delegate_reactivate(request, membership_id):
    membership = _delegate_or_404(request, membership_id)
    name = membership.user.get_full_name()
    return _confirm(
        request,
        membership,
        action="reactivate",
        perform=lambda: delegate_reactivate_service(
            membership=membership, reactivated_by=request.user, request=request
        ),
        done=f"{name} has been reactivated.",
        heading=f"Reactivate {name}?",
        body=f"{name} will be able to use {request.centre.name} again.",
        button_text="Reactivate",
        blocked="" if not membership.is_active else f"{name} is already active.",
    )


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def delegate_delete(request, membership_id):
    membership = _delegate_or_404(request, membership_id)
    name = membership.user.get_full_name()
    return _confirm(
        request,
        membership,
        action="delete",
        perform=lambda: delegate_delete_service(membership=membership, deleted_by=request.user, request=request),
        done=f"{name}'s record has been deleted.",
        heading=f"Delete {name}'s record?",
        body=(
            f"{name} has never logged in, so nothing has been recorded about their learning. "
            "Deleting removes the record for good: you cannot undo this."
        ),
        button_text="Delete record",
        blocked=delegate_deletion_blocker(membership=membership),
    )
