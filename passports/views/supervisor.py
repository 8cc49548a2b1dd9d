"""P7 supervisor pages: dashboard (to-do list and my learners), reviewing a confirmation
request, a learner's passport as a supervisor sees it, and reopening a signed-off passport."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.roles import Permission
from core.decorators import permission_required
from core.forms import form_add_service_error
from passports.access import passport_access_for
from passports.forms import ReopenForm, ReviewForm
from passports.models import ConfirmationItem, ConfirmationRequest, ResultStatus
from passports.selectors import supervisor as selectors
from passports.services.errors import PassportError
from passports.services.review import results_review
from passports.services.signoff import enrolment_reopen

LEARNERS_PER_PAGE = 25
TODO_PER_PAGE = 25


@permission_required(Permission.ASSESS)
@require_GET
def supervise(request):
    access = passport_access_for(request)
    context = {
        "todo": selectors.todo_page(access=access, per_page=TODO_PER_PAGE, page_number=request.GET.get("todo_page")),
        "learners": selectors.my_learners_page(
            access=access, per_page=LEARNERS_PER_PAGE, page_number=request.GET.get("page")
        ),
        "sees_staff_list": access.can_supervise,  # educators also see the learners on their staff list
    }
    return render(request, "passports/supervise/dashboard.html", context)


@permission_required(Permission.ASSESS)
@require_http_methods(["GET", "POST"])
def supervise_request(request, request_id):
    confirmation_request = passport_access_for(request).confirmation_request(request_id)
    if confirmation_request is None:
        raise Http404("No confirmation request with that id for you at this centre")
    items = selectors.request_items(request=confirmation_request)
    pending = [item for item in items if item.outcome == ConfirmationItem.Outcome.PENDING]
    can_act = (
        confirmation_request.supervisor_id == request.user.pk
        and confirmation_request.status == ConfirmationRequest.Status.OPEN
        and not confirmation_request.enrolment.is_locked
    )
    form = ReviewForm(request.POST if request.method == "POST" else None, items=pending if can_act else ())
    if request.method == "POST":
        if not can_act:
            messages.error(request, "Only the supervisor this request was sent to can confirm or reject its results.")
            return redirect("passports:supervise_request", request_id=confirmation_request.public_id)
        if form.is_valid():
            confirm, reject = form.decisions()
            try:
                summary = results_review(
                    confirmation_request=confirmation_request,
                    confirm=confirm,
                    reject=reject,
                    actor=request.user,
                    http_request=request,
                )
            except PassportError as error:
                form_add_service_error(form, error)
            else:
                learner = confirmation_request.enrolment.membership.user
                done = []
                if summary.confirmed:
                    done.append(f"confirmed {len(summary.confirmed)}")
                if summary.rejected:
                    done.append(f"rejected {len(summary.rejected)}")
                messages.success(
                    request,
                    f"You {' and '.join(done)} result{'s' if len(confirm) + len(reject) != 1 else ''}. "
                    f"{learner.get_full_name()} has been emailed.",
                )
                if summary.request_completed:
                    return redirect("passports:supervise")
                return redirect("passports:supervise_request", request_id=confirmation_request.public_id)
    context = {
        "confirmation_request": confirmation_request,
        "enrolment": confirmation_request.enrolment,
        "learner": confirmation_request.enrolment.membership.user,
        "pending": pending,
        "sections": selectors.items_by_section(pending),
        "preselected": selectors.items_ticked(pending, request.GET.get("tick", "")),
        "decided": [item for item in items if item.outcome != ConfirmationItem.Outcome.PENDING],
        "can_act": can_act,
        "form": form,
    }
    return render(request, "passports/supervise/request.html", context, status=400 if form.errors else 200)


def _enrolment_or_404(request, enrolment_id):
    enrolment = passport_access_for(request).enrolment(enrolment_id)
    if enrolment is None:
        raise Http404("No learner with that enrolment for you at this centre")
    return enrolment


@permission_required(Permission.ASSESS)
@require_GET
def supervise_enrolment(request, enrolment_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    sections = selectors.passport_sections(enrolment=enrolment)
    results = [result for section in sections for result in section.section_results]
    counts = dict.fromkeys(ResultStatus.values, 0)
    for result in results:
        counts[result.status] += 1
    open_sign_off = selectors.open_sign_off(enrolment=enrolment)
    context = {
        "enrolment": enrolment,
        "learner": enrolment.membership.user,
        "sections": sections,
        "overall": selectors.progress_of(counts),
        "statuses": ResultStatus,
        "open_requests": selectors.open_requests_to(enrolment=enrolment, user=request.user),
        "open_sign_off": open_sign_off if open_sign_off and open_sign_off.educator_id == request.user.pk else None,
        "history": selectors.sign_off_history(enrolment=enrolment),
        "certificate": selectors.current_certificate(enrolment=enrolment) if enrolment.is_locked else None,
        "can_reopen": enrolment.is_locked and passport_access_for(request).can_sign_off,
    }
    return render(request, "passports/supervise/enrolment.html", context)


@permission_required(Permission.SIGN_OFF)
@require_http_methods(["GET", "POST"])
def supervise_reopen(request, enrolment_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    if not enrolment.is_locked:
        messages.error(request, "This passport is not signed off, so there is nothing to reopen.")
        return redirect("passports:supervise_enrolment", enrolment_id=enrolment.public_id)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_reopen(
                enrolment=enrolment, reason=form.cleaned_data["reason"], actor=request.user, http_request=request
            )
        except PassportError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{enrolment.membership.user.get_full_name()}'s passport is open again and its certificate "
                "has been revoked.",
            )
            return redirect("passports:supervise_enrolment", enrolment_id=enrolment.public_id)
    context = {"form": form, "enrolment": enrolment, "learner": enrolment.membership.user}
    return render(request, "passports/supervise/reopen.html", context, status=400 if form.errors else 200)
