"""P4 self-assessment and P6 confirmation requests: the learner's own passports.

Only the learner (the enrolment's membership.user) reaches these pages; anyone else gets 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import centre_required
from core.forms import form_add_service_error
from core.presenters import page_links, tag_classes
from passports.certificates import certificate_for_enrolment
from passports.forms import AssessForm, PassportFilterForm, RequestConfirmationForm
from passports.models import Result, ResultStatus
from passports.selectors import learner as selectors
from passports.selectors.learner_sections import next_needing_answer, section_groups
from passports.selectors.supervisor import open_sign_off
from passports.services.assessment import result_assess
from passports.services.confirmation import (
    confirmation_request_create,
    confirmation_request_resend,
    confirmation_request_resend_at,
    confirmation_request_withdraw,
)
from passports.services.errors import PassportError
from passports.services.signoff import unconfirmed_required_count
from submissions.tokens import once_per_submission

PAGE_SIZE = 25
SAVED_SESSION_KEY = "passports.saved_position"  # "Save" says "saved" beside the answer once
# A passport this small is shown whole, grouped by section; a bigger one a section at a time.
SHOW_WHOLE_UP_TO = 40

STATUS_TAGS = {
    ResultStatus.NOT_ASSESSED: tag_classes("grey"),
    ResultStatus.SELF_ASSESSED: tag_classes("blue"),
    ResultStatus.REQUESTED: tag_classes("yellow"),
    ResultStatus.CONFIRMED: tag_classes("green"),
    ResultStatus.REJECTED: tag_classes("red"),
}


# -- forms -----------------------------------------------------------------------------------


# -- helpers ---------------------------------------------------------------------------------


def _enrolment_or_404(request, enrolment_id):
    enrolment = selectors.learner_enrolment(centre=request.centre, user=request.user, public_id=enrolment_id)
    if enrolment is None:
        raise Http404("No passport of yours with that id at this centre")
    return enrolment


def _result_or_404(enrolment, position: int) -> Result:
    result = selectors.result_at_position(enrolment=enrolment, position=position)
    if result is None:
        raise Http404("No proficiency at that position")
    return result


def _passport_url(enrolment) -> str:
    return reverse("passports:learner_passport", kwargs={"enrolment_id": enrolment.public_id})


def _proficiency_url(enrolment, position: int) -> str:
    return reverse("passports:learner_proficiency", kwargs={"enrolment_id": enrolment.public_id, "position": position})


def _requests_url(enrolment) -> str:
    return reverse("passports:learner_request_confirmation", kwargs={"enrolment_id": enrolment.public_id})


# -- pages -----------------------------------------------------------------------------------


@centre_required
@require_GET
def learner_home(request):
    context = {"enrolments": selectors.learner_enrolments(centre=request.centre, user=request.user)}
    return render(request, "passports/learner/home.html", context)


@centre_required
@require_GET
def learner_passport(request, enrolment_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    form = PassportFilterForm(request.GET)
    filters = form.filters()
    overall, sections = selectors.passport_progress(enrolment=enrolment)
    section = None
    if filters.get("section"):
        section = next((row for row in sections if row.section.position == filters["section"]), None)
    searching = bool(filters.get("q") or filters.get("status"))
    if section is not None and not searching:  # a section alone has its own page (issue 16 item 2)
        return redirect(
            reverse(
                "passports:learner_section",
                kwargs={"enrolment_id": enrolment.public_id, "section_position": section.section.position},
            )
        )
    show_whole = overall.total <= SHOW_WHOLE_UP_TO
    page = None
    pages = {}
    if searching or section is not None or show_whole:
        results = selectors.passport_results(
            enrolment=enrolment,
            search=filters.get("q", ""),
            status=filters.get("status", ""),
            section=section.section if section else None,
        )
        page = Paginator(results, PAGE_SIZE if not show_whole else SHOW_WHOLE_UP_TO).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        pages = page_links(page, query.urlencode())
    context = {
        "enrolment": enrolment,
        "form": form,
        "filters": filters,
        "status_labels": dict(selectors.STATUS_FILTERS),
        "status_tags": STATUS_TAGS,
        "overall": overall,
        "sections": sections,
        "section_groups": None if show_whole else section_groups(sections),
        "section": section,
        "searching": searching,
        "show_whole": show_whole,
        "page": page,
        "pages": pages,
        "open_requests": selectors.open_request_count(enrolment=enrolment),
        "requestable": selectors.requestable_count(enrolment=enrolment),
        "next_to_assess": None if enrolment.is_locked else selectors.next_to_assess_position(enrolment=enrolment),
        # What to do next: sign-off (P8) once every required proficiency is confirmed; the
        # certificate (P9) once signed off. A fixed number of queries.
        "missing_required": None if enrolment.is_locked else unconfirmed_required_count(enrolment=enrolment),
        "open_sign_off": None if enrolment.is_locked else open_sign_off(enrolment=enrolment),
        "certificate": certificate_for_enrolment(enrolment=enrolment),
        "verify_url": request.build_absolute_uri(reverse("verify:form")),
    }
    return render(request, "passports/learner/passport.html", context)


@centre_required
@require_http_methods(["GET", "POST"])
def learner_proficiency(request, enrolment_id, position):
    enrolment = _enrolment_or_404(request, enrolment_id)
    result = _result_or_404(enrolment, position)
    previous, following = selectors.neighbour_positions(enrolment=enrolment, position=position)
    form = AssessForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": result.answer or None, "action_plan": result.action_plan},
    )
    if request.method == "POST":
        if enrolment.is_locked:
            messages.error(request, "This passport has been signed off, so its answers cannot be changed.")
            return redirect(_proficiency_url(enrolment, position))
        if form.is_valid():
            try:
                result_assess(
                    result=result,
                    answer=form.cleaned_data["answer"],
                    action_plan=form.cleaned_data["action_plan"],
                    actor=request.user,
                    request=request,
                )
            except PassportError as error:
                form_add_service_error(form, error)
            else:
                if "continue" in request.POST:  # the next proficiency still needing an answer
                    messages.success(request, f"Your answer to {position}. {result.proficiency.name} has been saved.")
                    waiting = next_needing_answer(enrolment=enrolment, after=position)
                    if waiting is not None:
                        return redirect(_proficiency_url(enrolment, waiting))
                    messages.success(request, "Every proficiency in this passport has an answer.")
                    return redirect(_passport_url(enrolment))
                # Save: back to the answer itself, said saved beside it, so that on a phone the
                # radios and buttons are in view (a banner above the heading pushed them off).
                request.session[SAVED_SESSION_KEY] = position
                return redirect(_proficiency_url(enrolment, position) + "#your-answer")
    context = {
        "enrolment": enrolment,
        "result": result,
        "proficiency": result.proficiency,
        "form": form,
        "previous": previous,
        "following": following,
        "status_tags": STATUS_TAGS,
        "history": selectors.result_history(result=result),
        "pending_request": selectors.pending_request_for_result(result=result)
        if result.status == ResultStatus.REQUESTED
        else None,
        "total": selectors.proficiency_count(enrolment=enrolment),
        "just_saved": request.method == "GET" and request.session.pop(SAVED_SESSION_KEY, None) == position,
    }
    return render(request, "passports/learner/proficiency.html", context, status=400 if form.errors else 200)


@centre_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def learner_request_confirmation(request, enrolment_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    supervisors = selectors.enrolment_supervisors(enrolment=enrolment)
    results = selectors.requestable_results(enrolment=enrolment)
    form = RequestConfirmationForm(
        request.POST if request.method == "POST" else None, supervisors=supervisors, results=results
    )
    if request.method == "POST":
        if enrolment.is_locked:
            messages.error(request, "This passport has been signed off, so nothing more can be sent for confirmation.")
            return redirect(_requests_url(enrolment))
        if form.is_valid():
            supervisor = form.chosen_supervisor()
            chosen = form.chosen_results()
            try:
                confirmation_request_create(
                    enrolment=enrolment, supervisor=supervisor, results=chosen, actor=request.user, request=request
                )
            except PassportError as error:
                form_add_service_error(form, error)
            else:
                count = len(chosen)
                messages.success(
                    request,
                    f"{count} {'proficiency has' if count == 1 else 'proficiencies have'} been sent to "
                    f"{supervisor.get_full_name() or supervisor.email} for confirmation.",
                )
                return redirect(_requests_url(enrolment))
    now = timezone.now()
    open_requests = [
        {"request": item, "resend_at": confirmation_request_resend_at(item)}
        for item in selectors.open_confirmation_requests(enrolment=enrolment)
    ]
    context = {
        "enrolment": enrolment,
        "form": form,
        "results": results,
        "supervisors": supervisors,
        "open_requests": open_requests,
        "now": now,
    }
    return render(request, "passports/learner/request_confirmation.html", context, status=400 if form.errors else 200)


def _confirmation_request_or_404(request, enrolment, request_id):
    confirmation_request = selectors.learner_confirmation_request(enrolment=enrolment, public_id=request_id)
    if confirmation_request is None:
        raise Http404("No confirmation request with that id on this passport")
    return confirmation_request


@centre_required
@require_POST
def learner_request_resend(request, enrolment_id, request_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    confirmation_request = _confirmation_request_or_404(request, enrolment, request_id)
    try:
        confirmation_request_resend(confirmation_request=confirmation_request, actor=request.user, request=request)
    except PassportError as error:
        messages.error(request, error.message)
    else:
        supervisor = confirmation_request.supervisor
        messages.success(request, f"Your request has been sent to {supervisor.get_full_name()} again.")
    return redirect(_requests_url(enrolment))


@centre_required
@require_http_methods(["GET", "POST"])
def learner_request_withdraw(request, enrolment_id, request_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    confirmation_request = _confirmation_request_or_404(request, enrolment, request_id)
    if request.method == "POST":
        try:
            confirmation_request_withdraw(
                confirmation_request=confirmation_request, actor=request.user, request=request
            )
        except PassportError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "Your request has been withdrawn. Its proficiencies are self-assessed again and can be sent later.",
            )
        return redirect(_requests_url(enrolment))
    requests = selectors.open_confirmation_requests(enrolment=enrolment)
    current = next((item for item in requests if item.pk == confirmation_request.pk), None)
    if current is None:
        messages.error(request, "This request is no longer open.")
        return redirect(_requests_url(enrolment))
    return render(request, "passports/learner/withdraw.html", {"enrolment": enrolment, "confirmation_request": current})
