"""E1 learners' pages (/elearning/): the eLearning dashboard, lessons, the knowledge check and
the certificate. Learning is the person's own (ADR 0033): a learner is anyone with a current
site staff record (`elearning.access.is_learner`); platform staff may look at every page as a
preview and write nothing; anyone else is told who invites them. A module that is not published
(or an id that names nothing) gives the same "not available" page (404)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.audit import audit_record
from core.exceptions import ServiceError
from core.forms import form_add_service_error
from core.html import sanitise_lesson_html
from elearning.access import is_learner
from elearning.forms.modules import KnowledgeCheckForm
from elearning.models import Lesson
from elearning.selectors import learning as selectors
from elearning.services import learning as services
from elearning.services.certificates import (
    elearning_certificate_current,
    elearning_certificate_issue,
    elearning_certificate_pdf,
)
from reporting.pdf import PDF_CONTENT_TYPE
from submissions.tokens import once_per_submission


def _not_learner(request):
    return render(request, "elearning/learning/not_learner.html", {}, status=403)


def _unavailable(request):
    return render(request, "elearning/learning/unavailable.html", {}, status=404)


def _state(request, module_id, *, preview: bool):
    """(state, None), or (None, the "not available" page)."""
    try:
        return selectors.learner_module_state(request.user, module_id=module_id, include_unpublished=preview), None
    except Http404:
        return None, _unavailable(request)


def _mode(request) -> str:
    """ "learner", "preview" (platform staff who are not learners) or "" (turned away)."""
    if is_learner(request.user):
        return "learner"
    return "preview" if request.user.is_staff else ""


def _resume_url(state) -> str:
    """Where "Continue" takes the person: where they left off, else the first lesson not done,
    else the knowledge check, else the first lesson."""
    module_id = state.module.public_id
    lesson_ids = state.lesson_ids
    last = state.progress.last_lesson_id if state.progress else None
    target = last if last in lesson_ids and last not in state.done_lesson_ids else state.next_lesson_id()
    if target is None and state.has_check and not state.check_passed:
        return reverse("elearning:knowledge_check", kwargs={"module_id": module_id})
    if target is None and lesson_ids:
        target = lesson_ids[0]
    if target is None:
        return reverse("elearning:dashboard")
    lesson_id = Lesson.objects.filter(pk=target).values_list("public_id", flat=True).first()
    return reverse("elearning:lesson", kwargs={"module_id": module_id, "lesson_id": lesson_id})


@require_GET
def dashboard(request):
    mode = _mode(request)
    if not mode:
        return render(request, "elearning/learning/not_learner.html", {})
    states = selectors.learner_dashboard(request.user)
    required = [state for state in states if state.module.is_required]
    all_done = mode == "learner" and selectors.required_modules_complete(request.user)
    context = {
        "states": states,
        "preview": mode == "preview",
        "required_count": len(required),
        "required_done": sum(1 for state in required if state.completed_at),
        "certificate_ready": all_done,
    }
    return render(request, "elearning/learning/dashboard.html", context)


@require_GET
def module_resume(request, module_id):
    mode = _mode(request)
    if not mode:
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=mode == "preview")
    return refused or redirect(_resume_url(state))


@require_POST
@once_per_submission
def module_start(request, module_id):
    if _mode(request) != "learner":
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=False)
    if refused:
        return refused
    services.module_start(user=request.user, module=state.module, request=request)
    return redirect("elearning:module", module_id=module_id)


@require_POST
@once_per_submission
def module_retake(request, module_id):
    if _mode(request) != "learner":
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=False)
    if refused:
        return refused
    try:
        services.module_retake(user=request.user, module=state.module, request=request)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("elearning:dashboard")
    messages.success(request, f"You are retaking {state.module.title}. Your completion date is kept.")
    return redirect("elearning:module", module_id=module_id)


def _lesson_or_unavailable(request, state, lesson_id):
    lesson = Lesson.objects.filter(module=state.module, public_id=lesson_id).first()
    return lesson, (None if lesson is not None else _unavailable(request))


@require_GET
def lesson(request, module_id, lesson_id):
    mode = _mode(request)
    if not mode:
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=mode == "preview")
    if refused:
        return refused
    lessons = selectors.module_lessons(state)
    current = next((each for each in lessons if str(each.public_id) == str(lesson_id)), None)
    if current is None:
        return _unavailable(request)
    index = lessons.index(current)
    context = {
        "state": state,
        "module": state.module,
        "lessons": lessons,
        "lesson": current,
        "number": index + 1,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "done": current.pk in state.done_lesson_ids,
        "body_html": sanitise_lesson_html(current.body_html),
        "preview": mode == "preview",
    }
    return render(request, "elearning/learning/lesson.html", context)


@require_POST
@once_per_submission
def lesson_complete(request, module_id, lesson_id):
    if _mode(request) != "learner":
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=False)
    if refused:
        return refused
    current, refused = _lesson_or_unavailable(request, state, lesson_id)
    if refused:
        return refused
    try:
        services.lesson_complete(user=request.user, lesson=current, request=request)
    except ServiceError as error:
        return render(request, "elearning/learning/unavailable.html", {"message": str(error)}, status=409)
    state = selectors.learner_module_state(request.user, module_id=module_id)
    following = state.next_lesson_id(after=current.pk)
    if following is not None:
        following_id = Lesson.objects.filter(pk=following).values_list("public_id", flat=True).first()
        return redirect("elearning:lesson", module_id=module_id, lesson_id=following_id)
    if state.finished:
        messages.success(request, f"You have completed {state.module.title}.")
        return redirect("elearning:dashboard")
    return redirect("elearning:module", module_id=module_id)


def _check_context(request, state, form):
    attempts = selectors.module_attempts(state)
    latest = attempts[0] if attempts else None
    return {
        "state": state,
        "module": state.module,
        "form": form,
        "attempts": [(attempt, services.attempt_percent(attempt)) for attempt in attempts],
        "failed": latest if latest is not None and not latest.passed and request.method == "GET" else None,
        "failed_percent": services.attempt_percent(latest) if latest else 0,
        "preview": _mode(request) == "preview",
    }


@require_http_methods(["GET", "POST"])
@once_per_submission
def knowledge_check(request, module_id):
    mode = _mode(request)
    if not mode or (mode == "preview" and request.method == "POST"):
        return _not_learner(request)
    state, refused = _state(request, module_id, preview=mode == "preview")
    if refused:
        return refused
    questions = selectors.module_questions(state.module)
    if not questions:
        return _unavailable(request)
    form = KnowledgeCheckForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.knowledge_check_submit(
                user=request.user, module=state.module, answers=form.answers(), request=request
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            score = f"{attempt.correct} of {attempt.total} ({services.attempt_percent(attempt)}%)"
            if attempt.passed:
                messages.success(request, f"You passed the knowledge check for {state.module.title} with {score}.")
                return redirect("elearning:dashboard")
            return redirect("elearning:knowledge_check", module_id=module_id)
    context = _check_context(request, state, form)
    return render(request, "elearning/learning/knowledge_check.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def certificate(request):
    """GET serves the person's certificate PDF (read only: it is issued in the transaction that
    completes their last required module). Someone complete without one (a module was made
    optional, say) gets a button that issues it (POST)."""
    if _mode(request) != "learner":
        return _not_learner(request)
    if not selectors.required_modules_complete(request.user):
        return render(request, "elearning/learning/certificate_not_ready.html", {}, status=404)
    if request.method == "POST":
        elearning_certificate_issue(user=request.user, request=request)
        return redirect("elearning:certificate")
    issued = elearning_certificate_current(request.user)
    if issued is None:
        return render(request, "elearning/learning/certificate_issue.html", {})
    response = HttpResponse(elearning_certificate_pdf(certificate=issued), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="care-record-elearning-certificate.pdf"'
    # A file with personal data leaving the service: every download is recorded (ADR 0017).
    audit_record(
        actor=request.user,
        action="elearning.certificate_downloaded",
        target=issued,
        summary=f"eLearning certificate {issued.code} downloaded",
        request=request,
    )
    return response
