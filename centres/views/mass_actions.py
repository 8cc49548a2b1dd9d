"""Mass actions (issue 16 item 5): the check page ("N people will be emailed", "N
registrations will be approved"), then a POST that only queues a batch for the worker and
goes to its progress page. One batch at a time per centre and kind (centres.mass_actions)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from centres import mass_actions
from centres.roles import Permission
from core.decorators import permission_required
from submissions.tokens import once_per_submission

OUT_OF_DATE = "This check page is out of date. Check the numbers again before you confirm."


def _to_batch(request, batch: mass_actions.Batch, *, back: str):
    """The batch's progress page; a batch someone else started is not theirs to see."""
    if batch.started:
        return redirect("reporting:job", job_id=batch.job.public_id)
    if batch.job.requested_by_id == request.user.pk:
        messages.info(request, "This is already being done: nothing more was started.")
        return redirect("reporting:job", job_id=batch.job.public_id)
    messages.error(
        request,
        f"{batch.job.requested_by.get_full_name()} started this at "
        f"{batch.job.created_at:%H:%M} and it is still going: nothing more was started. "
        "Try again when it has finished.",
    )
    return redirect(back)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def welcome_emails_all(request):
    search = request.GET.get("q", "").strip()
    back = reverse("centres:welcome_emails") + (f"?{urlencode({'q': search})}" if search else "")
    if request.method == "POST":
        as_of = mass_actions.as_of_parse(request.POST.get("as_of"))
        if as_of is None:
            messages.error(request, OUT_OF_DATE)
            return redirect(request.get_full_path())
        if not mass_actions.welcome_waiting(centre=request.centre, search=search, as_of=as_of).exists():
            messages.error(request, "Nobody is waiting for a welcome email: nothing was sent.")
            return redirect(back)
        batch = mass_actions.welcome_emails_batch_start(
            centre=request.centre, requested_by=request.user, search=search, as_of=as_of
        )
        return _to_batch(request, batch, back=back)
    preview = mass_actions.welcome_emails_preview(centre=request.centre, search=search)
    context = {"preview": preview, "search": search, "back": back}
    return render(request, "centres/registration/welcome_emails_all.html", context)


@permission_required(Permission.MANAGE_DELEGATES)
@require_http_methods(["GET", "POST"])
@once_per_submission
def registration_approve_all(request):
    """Each approval emails the person: done by the worker, with progress (finding 6)."""
    back = reverse("centres:registrations")
    if request.method == "POST":
        as_of = mass_actions.as_of_parse(request.POST.get("as_of"))
        if as_of is None:
            messages.error(request, OUT_OF_DATE)
            return redirect("centres:registration_approve_all")
        if not mass_actions.pending_registrations(centre=request.centre).filter(created_at__lte=as_of).exists():
            messages.error(request, "No registrations are waiting for approval.")
            return redirect(back)
        batch = mass_actions.registrations_approve_batch_start(
            centre=request.centre, requested_by=request.user, as_of=as_of
        )
        return _to_batch(request, batch, back=back)
    preview = mass_actions.registrations_approve_preview(centre=request.centre)
    return render(request, "centres/registration/approve_all.html", {"preview": preview, "back": back})
