"""Platform staff pages (C14 system notices, naming a centre manager: ADR 0016; support
tickets are in `support.views.platform`). Platform staff belong to no centre: these views check
`is_staff` and read across centres only through selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centres.forms.notifications import SystemNoticeForm
from centres.forms.platform import CentreForm, CentreManagerForm
from centres.presenters import notice_status_tag
from centres.selectors.platform import centre_for_platform, centre_managers, centres_for_platform
from centres.services.centres import centre_create, centre_update
from centres.services.errors import CentreServiceError
from centres.services.roles import centre_manager_name
from core.decorators import platform_staff_required
from core.forms import form_add_service_error
from core.presenters import page_links
from notifications import selectors as notice_selectors
from notifications.exceptions import NotificationError
from notifications.registry import SYSTEM_NOTICE
from notifications.selectors import subscribers_at_every_centre
from notifications.services import system_notice_create, system_notice_publish, system_notice_withdraw
from submissions.tokens import once_per_submission


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def notices(request):
    form = SystemNoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            # Saved as a draft first; publishing (which emails every subscriber) is confirmed
            # on the next page.
            notice = system_notice_create(
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                expires_at=form.expires_at(),
                publish=False,
                created_by=request.user,
                request=request,
            )
        except NotificationError as error:
            form_add_service_error(form, error)
        else:
            if publish:
                return redirect("platform:notice_publish", notice_id=notice.public_id)
            messages.success(request, f"“{notice.title}” is saved as a draft. Nobody can see it yet.")
            return redirect("platform:notices")
    now = timezone.now()
    rows = [
        {"notice": notice, "tag": notice_status_tag(notice, now=now)}
        for notice in notice_selectors.system_notices_all()
    ]
    return render(
        request, "centres/platform/notices.html", {"form": form, "rows": rows}, status=400 if form.errors else 200
    )


def _notice_or_404(notice_id):
    notice = notice_selectors.system_notice_get(public_id=notice_id)
    if notice is None:
        raise Http404("No such notice")
    return notice


@platform_staff_required
@require_http_methods(["GET", "POST"])
def notice_publish(request, notice_id):
    """Confirm, then publish: the notice shows on every dashboard and subscribers are emailed."""
    notice = _notice_or_404(notice_id)
    if request.method == "GET":
        if notice.published_at is not None:
            messages.error(request, f"“{notice.title}” has already been published.")
            return redirect("platform:notices")
        recipients = len(subscribers_at_every_centre(SYSTEM_NOTICE))
        return render(request, "centres/platform/notice_publish.html", {"notice": notice, "recipients": recipients})
    try:
        sent = system_notice_publish(notice=notice, published_by=request.user, request=request)
    except NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"“{notice.title}” is published and shows on every dashboard. "
            f"{sent} subscriber{'s' if sent != 1 else ''} will be emailed.",
        )
    return redirect("platform:notices")


@platform_staff_required
@require_POST
def notice_withdraw(request, notice_id):
    notice = _notice_or_404(notice_id)
    try:
        system_notice_withdraw(notice=notice, withdrawn_by=request.user, request=request)
    except NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{notice.title}” no longer shows on dashboards.")
    return redirect("platform:notices")


# -- centres and their first centre manager (issue 11, finding 2) ----------------------------

CENTRES_PER_PAGE = 25


@platform_staff_required
@require_GET
def centres(request):
    search = request.GET.get("search", "").strip()[:100]
    page = Paginator(centres_for_platform(search=search), CENTRES_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"search": search}) if search else ""
    context = {"page": page, "search": search, "pages": page_links(page, query)}
    return render(request, "centres/platform/centres.html", context)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def centre_manager(request, centre_id):
    centre = centre_for_platform(public_id=centre_id)
    if centre is None:
        raise Http404("No such centre")
    form = CentreManagerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = centre_manager_name(
                centre=centre, email=form.cleaned_data["email"], named_by=request.user, request=request
            )
        except CentreServiceError as error:
            form_add_service_error(form, error, field="email")
        else:
            messages.success(
                request,
                f"{assignment.user.get_full_name()} is now a centre manager of {centre.name}. "
                "They have been emailed, with a copy to you.",
            )
            return redirect("platform:centre_manager", centre_id=centre.public_id)
    context = {"named_centre": centre, "managers": centre_managers(centre=centre), "form": form}
    return render(request, "centres/platform/centre_manager.html", context, status=400 if form.errors else 200)


@platform_staff_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def centre_add(request):
    """Issue 16 item 9: a new centre, on a page of the service rather than the Django admin."""
    form = CentreForm(request.POST if request.method == "POST" else None, creating=True)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            centre = centre_create(
                code=form.cleaned_data["code"],
                name=values.pop("name"),
                ip_prefixes=values.pop("ip_prefixes"),
                details=values,
                actor=request.user,
            )
        except CentreServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"{centre.name} ({centre.code}) was created. Name its first centre manager.")
            return redirect("platform:centre_manager", centre_id=centre.public_id)
    return render(request, "centres/platform/centre_form.html", {"form": form}, status=400 if form.errors else 200)


@platform_staff_required
@require_http_methods(["GET", "POST"])
def centre_edit(request, centre_id):
    centre = centre_for_platform(public_id=centre_id)
    if centre is None:
        raise Http404("No such centre")
    data = request.POST if request.method == "POST" else None
    form = CentreForm(data, creating=False, initial=CentreForm.initial_for(centre))
    if request.method == "POST" and form.is_valid():
        try:
            changed = centre_update(centre=centre, actor=request.user, request=request, **form.values())
        except CentreServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, f"{centre.name} was saved." if changed else "Nothing was changed.")
            return redirect("platform:centres")
    context = {"form": form, "edited_centre": centre}
    return render(request, "centres/platform/centre_form.html", context, status=400 if form.errors else 200)
