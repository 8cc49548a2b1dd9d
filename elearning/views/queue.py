"""E4 the central team's request queue (platform staff only): every site's requests with
filters, and one request's page with notes and status changes (ADR 0037)."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.paging import KeysetPaginator
from core.decorators import platform_staff_required
from core.exceptions import ServiceError
from core.forms import form_add_service_error
from core.presenters import page_links
from elearning.forms.queue import PUBLIC_NOTE_HINT, RequestNoteForm, RequestStatusForm
from elearning.models import AccountRequest
from elearning.presenters_sites import request_status_tag, requester_name
from elearning.selectors.queue import (
    account_request_for_platform,
    account_requests_for_platform,
    queue_site_get,
    queue_sites,
)
from elearning.services.queue import TRANSITIONS, account_request_note_add, account_request_status_set
from submissions.tokens import once_per_submission

PAGE_SIZE = 50
STATUS_FILTERS = [("waiting", "Waiting (open or in progress)"), *AccountRequest.Status.choices, ("", "Any status")]


def _filters(request) -> dict:
    kind = request.GET.get("kind", "")
    kind = kind if kind in AccountRequest.Kind.values else ""
    status = request.GET.get("status", "waiting")
    status = status if status in {value for value, _ in STATUS_FILTERS} else "waiting"
    site_value = request.GET.get("site", "")
    try:
        site = queue_site_get(uuid.UUID(site_value)) if site_value else None
    except ValueError:
        site = None
    return {"kind": kind, "status": status, "site": site}


@platform_staff_required
@require_GET
def account_requests(request):
    chosen = _filters(request)
    requests = account_requests_for_platform(**chosen)
    # Keyset pages: the last page of 20,000 requests costs what the first does (ADR 0022).
    page = KeysetPaginator(requests, PAGE_SIZE, keys=("created_at", "id"), descending=False).page_at(
        request.GET.get("page"), after=request.GET.get("after"), before=request.GET.get("before")
    )
    query = urlencode(
        {"kind": chosen["kind"], "status": chosen["status"], "site": chosen["site"].public_id if chosen["site"] else ""}
    )
    context = {
        "page": page,
        "pages": page_links(page, query),
        "rows": [
            {"request": row, "status": request_status_tag(row.status), "requester": requester_name(row)} for row in page
        ],
        "chosen": chosen,
        "kinds": AccountRequest.Kind.choices,
        "statuses": STATUS_FILTERS,
        "sites": queue_sites(),
    }
    return render(request, "elearning/queue/list.html", context)


def _request_or_404(request_id) -> AccountRequest:
    account_request = account_request_for_platform(public_id=request_id)
    if account_request is None:
        raise Http404("No such request")
    return account_request


def _page(request, account_request, *, note_form=None, status_form=None, status=200):
    context = {
        "account_request": account_request,
        "status": request_status_tag(account_request.status),
        "requester": requester_name(account_request),
        "notes": account_request.notes.select_related("author"),
        "note_form": note_form or RequestNoteForm(),
        "status_form": status_form or RequestStatusForm(),
        "moves": sorted(TRANSITIONS[AccountRequest.Status(account_request.status)], key=_move_order),
        "public_note_hint": PUBLIC_NOTE_HINT,
    }
    # The error summary and "Error:" title read `form`.
    context["form"] = next((f for f in (note_form, status_form) if f is not None and f.errors), None)
    return render(request, "elearning/queue/request.html", context, status=status)


def _move_order(status: str) -> int:
    return ["in_progress", "completed", "open", "rejected"].index(status)


@platform_staff_required
@require_GET
def account_request(request, account_request_id):
    return _page(request, _request_or_404(account_request_id))


@platform_staff_required
@require_POST
@once_per_submission
def account_request_note(request, account_request_id):
    account_request = _request_or_404(account_request_id)
    form = RequestNoteForm(request.POST)
    if form.is_valid():
        is_public = form.cleaned_data["visibility"] == "public"
        try:
            account_request_note_add(
                account_request=account_request,
                author=request.user,
                body=form.cleaned_data["body"],
                is_public=is_public,
                request=request,
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            emailed = is_public and account_request.requested_by is not None
            messages.success(request, "Note added and emailed to the person who asked." if emailed else "Note added.")
            return redirect("elearning_platform:request", account_request_id=account_request.public_id)
    return _page(request, account_request, note_form=form, status=400)


@platform_staff_required
@require_http_methods(["POST"])
def account_request_status(request, account_request_id):
    account_request = _request_or_404(account_request_id)
    form = RequestStatusForm(request.POST)
    if form.is_valid():
        try:
            account_request_status_set(
                account_request=account_request,
                status=form.cleaned_data["status"],
                decided_by=request.user,
                rejection_reason=form.cleaned_data["rejection_reason"],
                request=request,
            )
        except ServiceError as error:
            if error.field == "rejection_reason":
                form_add_service_error(form, error)
                return _page(request, account_request, status_form=form, status=400)
            messages.error(request, str(error))
        else:
            label = AccountRequest.Status(form.cleaned_data["status"]).label.lower()
            messages.success(request, f"The request is marked {label}.")
        return redirect("elearning_platform:request", account_request_id=account_request.public_id)
    if "rejection_reason" in form.errors:
        return _page(request, account_request, status_form=form, status=400)
    messages.error(request, "Select the new status.")
    return redirect("elearning_platform:request", account_request_id=account_request.public_id)
