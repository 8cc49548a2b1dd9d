"""E3 changes an authoriser makes to a staff member at one of their sites: amend details,
request deactivation, removal or reactivation (ADR 0037)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ServiceError
from core.forms import form_add_service_error
from elearning.access import authoriser_site_get
from elearning.forms.staff import ChangeRequestForm, DeactivationRequestForm, StaffAmendForm
from elearning.models import AccountRequest
from elearning.selectors.staff import site_staff_get
from elearning.services.staff import REQUEST_VERBS, site_staff_change_request, site_staff_details_update
from submissions.tokens import once_per_submission


@require_http_methods(["GET", "POST"])
@once_per_submission
def site_staff_amend(request, site_id, staff_id):
    site = authoriser_site_get(request.user, site_id)
    staff = site_staff_get(site, staff_id)
    initial = {
        "email": staff.user.email,
        "contact_number": staff.contact_number,
        "job_title": staff.job_title,
        "job_category": staff.job_category,
    }
    form = StaffAmendForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = site_staff_details_update(
                site_staff=staff, changed_by=request.user, request=request, **form.cleaned_data
            )
        except ServiceError as error:
            form_add_service_error(form, error, field="email")
        else:
            name = staff.user.get_full_name()
            if not changed:
                messages.info(request, f"Nothing changed for {name}.")
            elif "email address" in changed:
                messages.success(
                    request,
                    f"{name}'s details are amended. An “Edit user” request for the new email address "
                    "has gone to the central team.",
                )
            else:
                messages.success(request, f"{name}'s details are amended.")
            return redirect("elearning:site_staff", site_id=site.public_id, staff_id=staff.public_id)
    context = {"site": site, "staff": staff, "form": form}
    return render(request, "elearning/sites/amend.html", context, status=400 if form.errors else 200)


def _change_request(request, site_id, staff_id, kind: AccountRequest.Kind):
    site = authoriser_site_get(request.user, site_id)
    staff = site_staff_get(site, staff_id)
    form_class = DeactivationRequestForm if kind == AccountRequest.Kind.DEACTIVATE else ChangeRequestForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            site_staff_change_request(
                site_staff=staff, kind=kind, requested_by=request.user, request=request, **form.cleaned_data
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Your {REQUEST_VERBS[kind]} request for {staff.user.get_full_name()} has gone to the central team.",
            )
            return redirect("elearning:site_staff", site_id=site.public_id, staff_id=staff.public_id)
    context = {"site": site, "staff": staff, "form": form, "kind": kind, "verb": REQUEST_VERBS[kind]}
    return render(request, "elearning/sites/request.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@once_per_submission
def site_staff_deactivate(request, site_id, staff_id):
    return _change_request(request, site_id, staff_id, AccountRequest.Kind.DEACTIVATE)


@require_http_methods(["GET", "POST"])
@once_per_submission
def site_staff_remove(request, site_id, staff_id):
    return _change_request(request, site_id, staff_id, AccountRequest.Kind.REMOVE)


@require_http_methods(["GET", "POST"])
@once_per_submission
def site_staff_reactivate(request, site_id, staff_id):
    return _change_request(request, site_id, staff_id, AccountRequest.Kind.REINSTATE)
