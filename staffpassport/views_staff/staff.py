"""S7 staff passports: "Awaiting credentials" and "Reviewed" lists with each person's
credentials-required progress, a person's page, "Complete credentials required" and
"Bypass credentials required" (a confirmation page)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.roles import Permission
from core.decorators import permission_required
from core.forms import form_add_service_error
from core.presenters import page_links
from staffpassport.forms_staff import BypassForm
from staffpassport.models import StaffMember
from staffpassport.selectors.staff import staff_list_page, staff_member_detail
from staffpassport.services.staff_review import StaffReviewError, staff_credentials_bypass, staff_credentials_complete
from submissions.tokens import once_per_submission

MANAGE = Permission.MANAGE_STAFF_PASSPORT
Status = StaffMember.PassportStatus


def _member_or_404(request, staff_id) -> StaffMember:
    return get_object_or_404(
        StaffMember.objects.for_centre(request.centre).select_related(
            "centre", "staff_group", "job_role", "reviewed_by"
        ),
        public_id=staff_id,
    )


def _list(request, status: str):
    page, rows = staff_list_page(centre=request.centre, status=status, page_number=request.GET.get("page"))
    context = {"page": page, "rows": rows, "pages": page_links(page, ""), "status": status, "Status": Status}
    return render(request, "staffpassport/staff/staff_list.html", context)


@permission_required(MANAGE)
@require_GET
def staff_awaiting(request):
    return _list(request, Status.AWAITING_CREDENTIALS)


@permission_required(MANAGE)
@require_GET
def staff_reviewed(request):
    return _list(request, Status.REVIEWED)


@permission_required(MANAGE)
@require_GET
def staff_detail(request, staff_id):
    member = _member_or_404(request, staff_id)
    return render(
        request, "staffpassport/staff/staff_detail.html", {"member": member, **staff_member_detail(member=member)}
    )


@permission_required(MANAGE)
@require_POST
@once_per_submission
def staff_complete(request, staff_id):
    member = _member_or_404(request, staff_id)
    try:
        staff_credentials_complete(member=member, reviewed_by=request.user, request=request)
    except StaffReviewError as error:
        messages.error(request, error.message)
        return redirect("staffpassport:staff_detail", staff_id=member.public_id)
    messages.success(request, f"Credentials required completed: {member.full_name} moved to reviewed")
    return redirect("staffpassport:staff_detail", staff_id=member.public_id)


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def staff_bypass(request, staff_id):
    member = _member_or_404(request, staff_id)
    if member.passport_status != Status.AWAITING_CREDENTIALS:
        messages.error(request, f"{member.full_name}'s staff passport has already been reviewed")
        return redirect("staffpassport:staff_detail", staff_id=member.public_id)
    form = BypassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_credentials_bypass(
                member=member, reason=form.cleaned_data["reason"], reviewed_by=request.user, request=request
            )
        except StaffReviewError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"Credentials required bypassed: {member.full_name} moved to reviewed")
            return redirect("staffpassport:staff_detail", staff_id=member.public_id)
    detail = staff_member_detail(member=member)
    context = {"member": member, "form": form, "progress": detail["progress"]}
    return render(request, "staffpassport/staff/staff_bypass.html", context, status=400 if form.errors else 200)
