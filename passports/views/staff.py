"""P2 staff list: the educator's people, adding them by email, removing them, and one
person's enrolments with progress (P3)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.permissions import has_permission
from centres.roles import Permission
from core.decorators import permission_required
from core.forms import form_add_service_error
from core.presenters import page_links
from passports.forms import StaffAddForm
from passports.selectors import staff as selectors
from passports.services import staff as services
from passports.services.enrolment import enrolment_removal_blocker
from submissions.tokens import once_per_submission

PAGE_SIZE = 25


def entry_or_404(request, entry_id):
    entry = selectors.staff_entry_for(centre=request.centre, educator=request.user, public_id=entry_id)
    if entry is None:
        raise Http404("No one with that id on your staff list")
    return entry


def _names(emails) -> str:
    return ", ".join(emails)


@permission_required(Permission.SUPERVISE)
@require_GET
def staff_list(request):
    entries = selectors.staff_entries(centre=request.centre, educator=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "entries": page.object_list, "pages": page_links(page, "")}
    return render(request, "passports/staff/list.html", context)


@permission_required(Permission.SUPERVISE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def staff_add(request):
    form = StaffAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.staff_entries_add(
                centre=request.centre, educator=request.user, emails_text=form.cleaned_data["emails"], request=request
            )
        except services.StaffListError as error:
            form_add_service_error(form, error, field="emails")
        else:
            if outcome.added:
                registered = [entry.membership.user.get_full_name() for entry in outcome.added if entry.membership_id]
                invited = [entry.email for entry in outcome.invited]
                parts = []
                if registered:
                    parts.append(f"Added {_names(registered)}.")
                if invited:
                    parts.append(f"Not registered yet, so invited to register: {_names(invited)}.")
                messages.success(request, " ".join(parts))
            if outcome.already:
                messages.info(request, f"Already on your staff list: {_names(outcome.already)}.")
            if not outcome.invalid:
                return redirect("passports:staff_list")
            # Keep only what was wrong in the box, so it can be corrected and sent again.
            form = StaffAddForm({"emails": "\n".join(outcome.invalid)})
            form.is_valid()
            form.add_error(
                "emails",
                (
                    f"This is not an email address, so nobody was added for it: {outcome.invalid[0]}. "
                    if len(outcome.invalid) == 1
                    else f"These are not email addresses, so nobody was added for them: {_names(outcome.invalid)}. "
                )
                + "Enter email addresses like name@example.nhs.uk",
            )
    return render(request, "passports/staff/add.html", {"form": form}, status=400 if form.errors else 200)


@permission_required(Permission.SUPERVISE)
@require_GET
def staff_entry(request, entry_id):
    entry = entry_or_404(request, entry_id)
    enrolments = []
    if entry.membership_id:
        enrolments = list(selectors.enrolments_with_progress(centre=request.centre, membership=entry.membership))
    context = {
        "entry": entry,
        "enrolments": [
            {
                "enrolment": enrolment,
                "removal_blocker": enrolment_removal_blocker(
                    enrolment=enrolment,
                    is_administrator=has_permission(request, Permission.MANAGE_DELEGATES),
                    is_educator=True,
                ),
            }
            for enrolment in enrolments
        ],
        "can_enrol": entry.membership is not None and entry.membership.status == "active",
        "show_prn": has_permission(request, Permission.VIEW_PRN),
    }
    return render(request, "passports/staff/entry.html", context)


@permission_required(Permission.SUPERVISE)
@require_http_methods(["GET", "POST"])
def staff_remove(request, entry_id):
    entry = entry_or_404(request, entry_id)
    name = entry.membership.user.get_full_name() if entry.membership else entry.email
    if request.method == "POST":
        try:
            services.staff_entry_remove(entry=entry, removed_by=request.user, request=request)
        except services.StaffListError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{name} has been removed from your staff list.")
        return redirect("passports:staff_list")
    return render(request, "passports/staff/remove.html", {"entry": entry, "name": name})
