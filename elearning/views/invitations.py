"""E2 invitations, the authoriser's pages: a site's pending invitations (resend, withdraw),
"Create invite" and "All historic invitations". Every page names the site by its public id
and `authoriser_site_get` answers 404 unless the person is an authoriser there."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_add_service_error
from core.presenters import page_links
from elearning.access import authoriser_site_get
from elearning.forms.invitations import HistoryFilterForm, InvitationCreateForm
from elearning.selectors.invitations import (
    historic_invitations,
    invitation_status_tag,
    pending_invitation_get,
    pending_invitations,
)
from elearning.services.invitations import (
    InvitationError,
    invitation_create,
    invitation_resend,
    invitation_withdraw,
)
from submissions.tokens import once_per_submission

HISTORY_PAGE_SIZE = 25
PENDING_PAGE_SIZE = 25


@require_GET
def invitations(request, site_id):
    site = authoriser_site_get(request.user, site_id)
    page = Paginator(pending_invitations(site=site), PENDING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"site": site, "invitations": page.object_list, "page": page, "pagination": page_links(page, "")}
    return render(request, "elearning/invitations/pending.html", context)


@require_http_methods(["GET", "POST"])
@once_per_submission
def invitation_create_view(request, site_id):
    site = authoriser_site_get(request.user, site_id)
    form = InvitationCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitation_create(
                site=site, invited_by=request.user, email=form.cleaned_data["email"], request=request, **_details(form)
            )
        except InvitationError as error:
            form_add_service_error(form, error, field="email")
        else:
            invitation = sent.invitation
            messages.success(
                request, f"Invitation sent to {invitation.first_name} {invitation.last_name} ({invitation.email})."
            )
            return redirect("elearning:invitations", site_id=site.public_id)
    status = 400 if form.errors else 200
    return render(request, "elearning/invitations/create.html", {"site": site, "form": form}, status=status)


def _details(form) -> dict:
    details = form.details()
    return {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "contact_number": details.contact_number,
        "job_title": details.job_title,
        "job_category": details.job_category,
    }


def _pending_or_404(site, invitation_id):
    invitation = pending_invitation_get(site=site, public_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation waiting at this site")
    return invitation


ACTIONS = {
    "resend": {
        "title": "Resend this invitation?",
        "button_text": "Resend invitation",
        "explain": "A new link is emailed and the invitation is valid for 30 more days. "
        "The link in the earlier email stops working.",
    },
    "withdraw": {
        "title": "Withdraw this invitation?",
        "button_text": "Withdraw invitation",
        "explain": "The link in the email stops working. You can invite the person again later.",
    },
}


def _invitation_action(request, site_id, invitation_id, action):
    """Resend or withdraw: a confirmation page, then a POST."""
    site = authoriser_site_get(request.user, site_id)
    invitation = _pending_or_404(site, invitation_id)
    if request.method == "POST":
        try:
            if action == "resend":
                invitation_resend(invitation=invitation, resent_by=request.user, request=request)
                messages.success(request, f"Invitation sent again to {invitation.email}.")
            else:
                invitation_withdraw(invitation=invitation, withdrawn_by=request.user, request=request)
                messages.success(request, f"Invitation to {invitation.email} withdrawn.")
        except InvitationError as error:
            messages.error(request, str(error))
        return redirect("elearning:invitations", site_id=site.public_id)
    context = {"site": site, "invitation": invitation, "action": action, **ACTIONS[action]}
    return render(request, "elearning/invitations/confirm.html", context)


@require_http_methods(["GET", "POST"])
@once_per_submission
def invitation_resend_view(request, site_id, invitation_id):
    return _invitation_action(request, site_id, invitation_id, "resend")


@require_http_methods(["GET", "POST"])
@once_per_submission
def invitation_withdraw_view(request, site_id, invitation_id):
    return _invitation_action(request, site_id, invitation_id, "withdraw")


@require_GET
def invitations_history(request, site_id):
    site = authoriser_site_get(request.user, site_id)
    filters = HistoryFilterForm(request.GET)
    status, search = filters.values()
    page = Paginator(historic_invitations(site=site, status=status, search=search), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"invitation": invitation, "tag": invitation_status_tag(invitation)} for invitation in page.object_list]
    query = urlencode({key: value for key, value in (("status", status), ("q", search)) if value})
    context = {
        "site": site,
        "filters": filters,
        "page": page,
        "rows": rows,
        "pagination": page_links(page, query),
        "filtered": bool(status or search),
    }
    return render(request, "elearning/invitations/history.html", context)
