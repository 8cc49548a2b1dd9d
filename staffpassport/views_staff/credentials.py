"""S7 the manual queue (issue or reject one or many), the credentials expiring soon and a
credential's history."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from centres.roles import Permission
from core.decorators import permission_required
from core.forms import form_add_service_error
from core.presenters import page_links
from staffpassport.forms_staff import CredentialQueueForm
from staffpassport.models import StaffCredential, Team
from staffpassport.selectors.staff import credential_history, credentials_expiring, credentials_waiting
from staffpassport.services.credential_queue import CredentialQueueError, credentials_issue, credentials_reject
from staffpassport.team_summaries import EXPIRING_WITHIN_DAYS, team_credential_ids
from submissions.tokens import once_per_submission

MANAGE = Permission.MANAGE_STAFF_PASSPORT
PER_PAGE = 50


def _chosen(request) -> list[uuid.UUID]:
    chosen = []
    for value in request.POST.getlist("credentials"):
        try:
            chosen.append(uuid.UUID(value))
        except ValueError:
            continue  # a tampered value names nothing: the service then says one no longer exists
    if len(chosen) != len(request.POST.getlist("credentials")):
        chosen.append(uuid.uuid4())
    return chosen


def _queue_page(request, form, *, selected=frozenset(), status=200):
    page = Paginator(credentials_waiting(centre=request.centre), PER_PAGE).get_page(request.GET.get("page"))
    select_all = request.GET.get("select") == "all"
    context = {"form": form, "page": page, "selected": selected, "select_all": select_all}
    return render(request, "staffpassport/staff/credentials_waiting.html", context, status=status)


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
@once_per_submission
def credentials_waiting_page(request):
    if request.method != "POST":
        return _queue_page(request, CredentialQueueForm())
    form = CredentialQueueForm(request.POST)
    chosen = _chosen(request)
    if form.is_valid():
        action = form.cleaned_data["action"] or CredentialQueueForm.ISSUE
        try:
            if action == CredentialQueueForm.REJECT:
                done = credentials_reject(
                    centre=request.centre,
                    public_ids=chosen,
                    reason=form.cleaned_data["reason"],
                    rejected_by=request.user,
                    request=request,
                )
                verb = "rejected"
            else:
                done = credentials_issue(
                    centre=request.centre, public_ids=chosen, issued_by=request.user, request=request
                )
                verb = "issued"
        except CredentialQueueError as error:
            if error.field == "credentials":
                form.add_error(None, error.message)
            else:
                form_add_service_error(form, error)
        else:
            count = len(done)
            messages.success(request, f"{count} credential{'s' if count != 1 else ''} {verb}")
            return redirect("staffpassport:credentials_waiting")
    return _queue_page(request, form, selected={str(value) for value in chosen}, status=400)


@permission_required(MANAGE)
@require_GET
def credential_detail(request, credential_id):
    credential = get_object_or_404(
        StaffCredential.objects.for_centre(request.centre).select_related(
            "staff_member", "credential", "credential__category", "issued_by", "rejected_by"
        ),
        public_id=credential_id,
    )
    context = {"credential": credential, "history": credential_history(credential=credential)}
    return render(request, "staffpassport/staff/credential_detail.html", context)


@permission_required(MANAGE)
@require_GET
def credentials_expiring_page(request):
    """Issued credentials expiring within the weekly summary's 30 days, of every staff member;
    `?team=` keeps one team's credentials (the link in that team's summary)."""
    team = request.GET.get("team")
    team = Team(team) if team in Team.values else None
    credentials = credentials_expiring(
        centre=request.centre,
        within_days=EXPIRING_WITHIN_DAYS,
        credential_ids=team_credential_ids(team) if team else None,
    )
    page = Paginator(credentials, PER_PAGE).get_page(request.GET.get("page"))
    query = f"team={team.value}" if team else ""
    context = {
        "page": page,
        "pages": page_links(page, query),
        "team": team,
        "teams": Team.choices,
        "within_days": EXPIRING_WITHIN_DAYS,
    }
    return render(request, "staffpassport/staff/credentials_expiring.html", context)
