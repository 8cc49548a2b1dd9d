"""P3: an educator enrols someone on their staff list on a framework, and removes an
enrolment (only before the learner starts, unless an administrator)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from centres.permissions import has_permission
from centres.roles import Permission
from core.decorators import permission_required
from core.forms import form_add_service_error
from passports.forms import EnrolForm
from passports.selectors import staff as selectors
from passports.services import enrolment as services
from passports.views.staff import entry_or_404
from submissions.tokens import once_per_submission


@permission_required(Permission.SUPERVISE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def enrolment_create(request, entry_id):
    entry = entry_or_404(request, entry_id)
    frameworks = selectors.frameworks_to_enrol()
    form = EnrolForm(request.POST if request.method == "POST" else None, frameworks=frameworks)
    membership = entry.membership
    blocked = ""
    if membership is None:
        blocked = f"{entry.email} has not registered at {request.centre.name} yet. You can enrol them once they have."
    elif membership.status != "active":
        blocked = f"{membership.user.get_full_name()} must be an approved, active delegate before you can enrol them."
    elif not frameworks:
        blocked = "There are no published frameworks to enrol on yet."
    if request.method == "POST" and not blocked and form.is_valid():
        framework = form.frameworks[form.cleaned_data["framework"]]
        try:
            services.enrolment_create(
                centre=request.centre,
                membership=membership,
                framework=framework,
                complete_by=form.cleaned_data["complete_by"],
                enrolled_by=request.user,
                request=request,
            )
        except services.EnrolmentError as error:
            form_add_service_error(form, error, field="framework")
        else:
            messages.success(
                request, f"{membership.user.get_full_name()} has been enrolled on {framework.name} and emailed."
            )
            return redirect("passports:staff_entry", entry_id=entry.public_id)
    context = {"entry": entry, "form": form, "blocked": blocked}
    return render(request, "passports/enrolment/create.html", context, status=400 if form.errors else 200)


@permission_required(Permission.SUPERVISE, Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
def enrolment_remove(request, enrolment_id):
    enrolment = selectors.enrolment_for_centre(centre=request.centre, public_id=enrolment_id)
    is_administrator = has_permission(request, Permission.MANAGE_DELEGATES)
    if enrolment is None or not (
        is_administrator
        or selectors.educator_may_see_enrolment(centre=request.centre, educator=request.user, enrolment=enrolment)
    ):
        raise Http404("No enrolment with that id at this centre")
    entry = selectors.staff_entry_for_membership(
        centre=request.centre, educator=request.user, membership_id=enrolment.membership_id
    )
    if entry:
        back = redirect("passports:staff_entry", entry_id=entry.public_id)
    else:
        back = redirect("passports:enrolment_list" if is_administrator else "home")
    name = enrolment.membership.user.get_full_name()
    if request.method == "POST":
        try:
            services.enrolment_remove(enrolment=enrolment, removed_by=request.user, request=request)
        except services.EnrolmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{name}'s enrolment on {enrolment.framework.name} has been removed.")
        return back
    blocker = services.enrolment_removal_blocker(
        enrolment=enrolment,
        is_administrator=is_administrator,
        is_educator=has_permission(request, Permission.SUPERVISE),
    )
    # A started enrolment is removed by an administrator, from the enrolment list: the educator
    # is given the link to it, filtered to this enrolment, to pass on (issue 16 item 12).
    admin_list_url = ""
    if blocker and enrolment.started_at is not None and not is_administrator:
        query = urlencode({"framework": enrolment.framework.public_id, "learner": enrolment.membership.delegate_number})
        admin_list_url = f"{reverse('passports:enrolment_list')}?{query}"
    context = {
        "enrolment": enrolment,
        "name": name,
        "blocked": blocker,
        "back_url": back.url,
        "admin_list_url": admin_list_url,
    }
    return render(request, "passports/enrolment/remove.html", context)
