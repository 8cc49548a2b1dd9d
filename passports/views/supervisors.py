"""P5: the learner's own supervisors for one enrolment: list, add, remove."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from core.decorators import centre_required
from core.forms import form_add_service_error
from passports.forms import SupervisorAddForm
from passports.selectors import staff as selectors
from passports.services import supervisors as services
from submissions.tokens import once_per_submission


def _enrolment_or_404(request, enrolment_id):
    enrolment = selectors.enrolment_of_learner(centre=request.centre, user=request.user, public_id=enrolment_id)
    if enrolment is None:
        raise Http404("No enrolment of yours with that id at this centre")
    return enrolment


def _learner_home() -> str | None:
    try:
        return reverse("passports:learner_home")
    except NoReverseMatch:
        return None


@centre_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def supervisor_list(request, enrolment_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    supervisors = selectors.enrolment_supervisors(centre=request.centre, enrolment=enrolment)
    candidates = selectors.supervisor_candidates(
        centre=request.centre, exclude_user_ids=[s.user_id for s in supervisors] + [request.user.pk]
    )
    form = SupervisorAddForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        user = form.candidates[form.cleaned_data["supervisor"]]
        try:
            services.supervisor_add(enrolment=enrolment, user=user, added_by=request.user, request=request)
        except services.SupervisorError as error:
            form_add_service_error(form, error, field="supervisor")
        else:
            messages.success(request, f"{user.get_full_name()} has been added as a supervisor.")
            return redirect("passports:supervisor_list", enrolment_id=enrolment.public_id)
    context = {
        "enrolment": enrolment,
        "supervisors": supervisors,
        "form": form,
        "has_candidates": bool(form.candidates),
        "learner_home": _learner_home(),
    }
    return render(request, "passports/supervisors/list.html", context, status=400 if form.errors else 200)


@centre_required
@require_http_methods(["GET", "POST"])
def supervisor_remove(request, enrolment_id, supervisor_user_id):
    enrolment = _enrolment_or_404(request, enrolment_id)
    supervisor = next(
        (
            s
            for s in selectors.enrolment_supervisors(centre=request.centre, enrolment=enrolment)
            if str(s.user.public_id) == str(supervisor_user_id)
        ),
        None,
    )
    if supervisor is None:
        raise Http404("No such supervisor of this enrolment")
    name = supervisor.user.get_full_name()
    if request.method == "POST":
        try:
            services.supervisor_remove(supervisor=supervisor, removed_by=request.user, request=request)
        except services.SupervisorError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{name} is no longer a supervisor of your {enrolment.framework.name} passport.")
        return redirect("passports:supervisor_list", enrolment_id=enrolment.public_id)
    return render(
        request, "passports/supervisors/remove.html", {"enrolment": enrolment, "supervisor": supervisor, "name": name}
    )
