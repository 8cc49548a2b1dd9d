from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.audit import audit_action_label, audit_record
from centres.forms.choose_centre import ChooseCentreForm
from centres.home_sections import home_sections_for, is_register_only
from centres.home_tasks import platform_tasks
from centres.middleware import centre_select
from centres.models import AuditEvent, Membership
from centres.permissions import centre_permissions
from centres.presenters import role_labels, status_tag
from centres.roles import Permission
from centres.selectors.memberships import centre_choices_for_user, locked_memberships
from centres.services.errors import CentreServiceError
from centres.services.memberships import membership_unlock
from core.decorators import permission_required
from notifications.selectors import system_notices_active

DISMISSED_NOTICES_KEY = "dismissed_notices"


def _safe_next(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_GET
def home(request):
    """The dashboard. Sends people with several centres to choose one first."""
    choices = centre_choices_for_user(user=request.user)
    if request.centre is None:
        usable = [choice for choice in choices if choice.can_choose]
        if len(usable) == 1:
            centre_select(request, usable[0].centre)
        elif len(usable) > 1:
            return redirect("choose_centre")
    context = {
        "choices": choices,
        "permissions": centre_permissions(request),
        "Permission": Permission,
        "notices": [
            notice
            for notice in system_notices_active()
            if str(notice.public_id) not in request.session.get(DISMISSED_NOTICES_KEY, [])
        ],
    }
    if request.centre is not None:
        current = next(choice for choice in choices if choice.centre.pk == request.centre.pk)
        context["current"] = current
        context["role_names"] = role_labels(current.roles)
        context["sections"] = home_sections_for(request)
        context["register_only"] = is_register_only(request)
    elif request.user.is_staff:
        context["platform_tasks"] = platform_tasks()
    return render(request, "centres/home.html", context)


@login_required
@require_POST
def notice_dismiss(request, notice_id):
    """Hide a published notice from this person's home page for the rest of their session
    (issue 16 item 11); it still reaches them by email and shows again next time they log in."""
    notice = get_object_or_404(system_notices_active(), public_id=notice_id)
    dismissed = request.session.get(DISMISSED_NOTICES_KEY, [])
    if str(notice.public_id) not in dismissed:
        request.session[DISMISSED_NOTICES_KEY] = [*dismissed, str(notice.public_id)]
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def choose_centre(request):
    choices = centre_choices_for_user(user=request.user)
    form = ChooseCentreForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "GET" and request.centre is None and len(form.choosable) == 1:
        # Only one centre can be used (the others await approval): nothing to choose, as on
        # the dashboard; a link straight to a centre page lands there.
        centre_select(request, next(iter(form.choosable.values())).centre)
        return redirect(_safe_next(request, "/"))
    if request.method == "POST" and form.is_valid():
        centre = form.chosen()
        centre_select(request, centre, several=len(form.choosable) > 1)
        audit_record(
            actor=request.user,
            centre=centre,
            action="centre.chosen",
            target=centre,
            summary="Chose centre after login",
            request=request,
        )
        return redirect(_safe_next(request, "/"))
    context = {
        "form": form,
        "choices": [{"choice": choice, "tag": status_tag(choice.status)} for choice in choices],
        "next": _safe_next(request, ""),
    }
    return render(request, "centres/choose_centre.html", context, status=400 if form.errors else 200)


@permission_required(Permission.VIEW_AUDIT)
@require_GET
def audit_trail(request):
    events = AuditEvent.objects.for_centre(request.centre).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "centres/audit_trail.html", {"page": page, "audit_action_label": audit_action_label})


@permission_required(Permission.UNLOCK_ACCOUNTS)
@require_GET
def locked_accounts(request):
    return render(request, "centres/locked_accounts.html", {"memberships": locked_memberships(centre=request.centre)})


@permission_required(Permission.UNLOCK_ACCOUNTS)
@require_http_methods(["POST"])
def unlock_account(request, membership_id):
    membership = get_object_or_404(
        Membership.objects.for_centre(request.centre).select_related("user", "centre"), public_id=membership_id
    )
    try:
        membership_unlock(membership=membership, unlocked_by=request.user, request=request)
    except CentreServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{membership.user.get_full_name()} can log in again.")
    return redirect("centres:locked_accounts")
