"""Issue 16 item 2: self-assessment without a scroll per item. A section of the learner's
passport as a list answered in place: Achieved / Ongoing on each row (htmx swaps the row, the
section's progress and a status message; without JavaScript the same form posts and comes back
to the list), and several ticked rows marked at once. Only the learner reaches these pages.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.decorators import centre_required
from passports.models import Result
from passports.selectors import learner_sections as sections
from passports.selectors.learner import result_at_position
from passports.services.assessment import result_assess, results_assess
from passports.services.errors import PassportError
from passports.views.learner import STATUS_TAGS, _enrolment_or_404


def _section_or_404(enrolment, position: int):
    section = sections.section_at_position(enrolment=enrolment, position=position)
    if section is None:
        raise Http404("No section at that position")
    return section


def section_url(enrolment, section, *, supernumerary: bool = False, anchor: str = "") -> str:
    url = reverse(
        "passports:learner_section", kwargs={"enrolment_id": enrolment.public_id, "section_position": section.position}
    )
    return url + ("?supernumerary=1" if supernumerary else "") + (f"#{anchor}" if anchor else "")


def _answer_label(answer: str) -> str:
    return Result.Answer(answer).label if answer in Result.Answer.values else ""


@centre_required
@require_GET
def learner_section(request, enrolment_id, section_position):
    enrolment = _enrolment_or_404(request, enrolment_id)
    section = _section_or_404(enrolment, section_position)
    supernumerary = request.GET.get("supernumerary") == "1"
    previous, following = sections.section_neighbours(enrolment=enrolment, section=section)
    context = {
        "enrolment": enrolment,
        "section": section,
        "progress": sections.section_progress(enrolment=enrolment, section=section),
        "results": sections.section_results(enrolment=enrolment, section=section, supernumerary=supernumerary),
        "supernumerary": supernumerary,
        "previous": previous,
        "following": following,
        "status_tags": STATUS_TAGS,
    }
    return render(request, "passports/learner/section.html", context)


@centre_required
@require_POST
def learner_answer(request, enrolment_id, position):
    """One row's Achieved / Ongoing. With htmx: the row's status block (or the error), the
    section's progress and a status message. Without: back to the list at that row."""
    enrolment = _enrolment_or_404(request, enrolment_id)
    result = result_at_position(enrolment=enrolment, position=position)
    if result is None:
        raise Http404("No proficiency at that position")
    section = result.proficiency.section
    supernumerary = request.POST.get("supernumerary") == "1"
    answer = request.POST.get("answer", "")
    error = message = ""
    try:
        # The note is kept: this row only answers (the proficiency's page changes the note).
        result = result_assess(
            result=result, answer=answer, action_plan=result.action_plan, actor=request.user, request=request
        )
    except PassportError as refused:
        error = refused.message
    else:
        message = f"{position}. {result.proficiency.name}: saved as {_answer_label(answer)}."
    if not request.htmx:
        if error:
            messages.error(request, f"{position}. {result.proficiency.name}: {error}")
        else:
            messages.success(request, message)
        return redirect(section_url(enrolment, section, supernumerary=supernumerary, anchor=f"proficiency-{position}"))
    result = result_at_position(enrolment=enrolment, position=position)
    context = {
        "enrolment": enrolment,
        "section": section,
        "result": result,
        "progress": sections.section_progress(enrolment=enrolment, section=section),
        "supernumerary": supernumerary,
        "status_tags": STATUS_TAGS,
        "error": error,
        "message": message or error,
    }
    return render(request, "passports/learner/_section_answered.html", context)


@centre_required
@require_POST
def learner_section_mark(request, enrolment_id, section_position):
    """Mark the ticked rows of a section Achieved or Ongoing (one service call)."""
    enrolment = _enrolment_or_404(request, enrolment_id)
    section = _section_or_404(enrolment, section_position)
    supernumerary = request.POST.get("supernumerary") == "1"
    positions = [int(value) for value in request.POST.getlist("positions") if value.isdigit()]
    results = sections.section_results_at(enrolment=enrolment, section=section, positions=positions)
    answer = request.POST.get("answer", "")
    try:
        changed = results_assess(
            enrolment=enrolment, results=results, answer=answer, actor=request.user, request=request
        )
    except PassportError as refused:
        messages.error(request, refused.message)
        return redirect(section_url(enrolment, section, supernumerary=supernumerary, anchor="mark-selected"))
    count = len(results)
    noun = "proficiency" if count == 1 else "proficiencies"
    messages.success(
        request,
        f"{count} {noun} marked {_answer_label(answer)}."
        + ("" if changed == count else f" {count - changed} already had that answer."),
    )
    return redirect(section_url(enrolment, section, supernumerary=supernumerary))
