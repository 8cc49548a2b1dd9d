"""E3 "Manage sites": an authoriser's sites, a site's current staff with their eLearning
progress, the historic list and one staff member's page (ADR 0037).

An authoriser acts on every centre where they hold the role, whatever their current centre,
so the site is in the URL and `authoriser_site_get` answers 404 for any other centre; a staff
id is looked up only inside that site."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from core.presenters import page_links
from elearning.access import authoriser_site_get, authoriser_sites
from elearning.presenters_sites import progress_for, request_status_tag, staff_status_tag
from elearning.selectors.staff import (
    open_request_kinds,
    required_module_total,
    site_staff_all,
    site_staff_current,
    site_staff_get,
    site_staff_module_rows,
    site_staff_requests,
)

PAGE_SIZE = 25
REQUESTS_PAGE_SIZE = 10


def invitation_links(site) -> list[dict]:
    """Links to the invitations pages (el-invites), when they are installed."""
    links = []
    for text, name in (("Create invite", "elearning:invitation_create"), ("Invitations", "elearning:invitations")):
        try:
            links.append({"text": text, "href": reverse(name, kwargs={"site_id": site.public_id})})
        except NoReverseMatch:
            continue
    return links


@require_GET
def sites(request):
    """The drop-down of the person's own sites; choosing one opens its page."""
    choices = list(authoriser_sites(request.user))
    if not choices:
        raise PermissionDenied("You are not an account authoriser at any site")
    chosen = request.GET.get("site", "")
    if chosen:
        for site in choices:
            if str(site.public_id) == chosen:
                return redirect("elearning:site", site_id=site.public_id)
    return render(request, "elearning/sites/index.html", {"sites": choices, "unknown_choice": bool(chosen)}, status=200)


def _staff_rows(page, total: int) -> list[dict]:
    return [{"staff": staff, "progress": progress_for(staff.required_done, total)} for staff in page]


@require_GET
def site(request, site_id):
    site = authoriser_site_get(request.user, site_id)
    page = Paginator(site_staff_current(site), PAGE_SIZE).get_page(request.GET.get("page"))
    total = required_module_total()
    context = {
        "site": site,
        "rows": _staff_rows(page, total),
        "page": page,
        "pages": page_links(page, ""),
        "invitation_links": invitation_links(site),
    }
    return render(request, "elearning/sites/site.html", context)


@require_GET
def site_staff_history(request, site_id):
    site = authoriser_site_get(request.user, site_id)
    page = Paginator(site_staff_all(site), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "site": site,
        "rows": [{"staff": staff, "status": staff_status_tag(staff)} for staff in page],
        "page": page,
        "pages": page_links(page, ""),
    }
    return render(request, "elearning/sites/history.html", context)


@require_GET
def site_staff(request, site_id, staff_id):
    site = authoriser_site_get(request.user, site_id)
    staff = site_staff_get(site, staff_id)
    requests_page = Paginator(site_staff_requests(staff), REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "site": site,
        "staff": staff,
        "status": staff_status_tag(staff),
        "progress": progress_for(staff.required_done, required_module_total()),
        "modules": site_staff_module_rows(staff),
        "requests": requests_page.object_list,
        "requests_page": requests_page,
        "requests_pages": page_links(requests_page, ""),
        "open_kinds": open_request_kinds(staff),
        "request_tag": request_status_tag,
    }
    return render(request, "elearning/sites/staff.html", context)
