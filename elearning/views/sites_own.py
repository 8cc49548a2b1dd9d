"""E3 "My details": each person amends their own forename and surname, and their job details
at each site where they are staff."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.exceptions import ServiceError
from core.forms import form_add_service_error
from elearning.forms.staff import JobDetailsForm, OwnNameForm
from elearning.selectors.staff import own_site_staff, own_site_staff_get
from elearning.services.staff import own_job_update, own_name_update


@require_http_methods(["GET", "POST"])
def my_details(request):
    user = request.user
    form = OwnNameForm(
        request.POST if request.method == "POST" else None,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = own_name_update(user=user, request=request, **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, "Your name is changed." if changed else "Nothing changed.")
            return redirect("elearning:my_details")
    context = {"form": form, "records": own_site_staff(user)}
    return render(request, "elearning/sites/my_details.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def my_job(request, staff_id):
    staff = own_site_staff_get(request.user, staff_id)
    initial = {"contact_number": staff.contact_number, "job_title": staff.job_title, "job_category": staff.job_category}
    form = JobDetailsForm(request.POST if request.method == "POST" else None, initial=initial, owner="your")
    if request.method == "POST" and form.is_valid():
        try:
            changed = own_job_update(site_staff=staff, user=request.user, request=request, **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, f"Your details at {staff.centre.name} are changed." if changed else "Nothing changed."
            )
            return redirect("elearning:my_details")
    context = {"form": form, "staff": staff}
    return render(request, "elearning/sites/my_job.html", context, status=400 if form.errors else 200)
