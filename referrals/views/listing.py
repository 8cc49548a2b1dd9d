"""R5: the referrals list. Search as you type with htmx (the results region only); without
JavaScript the search form submits and the whole page renders."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from core.presenters import page_links
from referrals.access import ANY_REGISTER_ROLE, register_role_required
from referrals.forms.list import DEFAULT_PER_PAGE, DEFAULT_SORT, SORT_CHOICES, ReferralListForm
from referrals.selectors.list import referral_list_page
from referrals.summary import RISK_TAG_CLASSES

COLUMNS = [
    ("name", "Name"),
    ("organisation", "Organisation"),
    ("locality", "Locality"),
    ("risk", "Risk"),
    ("created", "Date created"),
    ("updated", "Last updated"),
]



def _query(*, q: str, sort: str, per_page: int) -> str:
    """The list's query string without the page, leaving out defaults so links stay short."""
    params = {}
    if q:
        params["q"] = q
    if sort != DEFAULT_SORT:
        params["sort"] = sort
    if per_page != DEFAULT_PER_PAGE:
        params["per_page"] = per_page
    return urlencode(params)


def _headers(*, q: str, sort: str, per_page: int) -> list[dict]:
    """Sortable column headings: a link that sorts by the column (again: the other way)."""
    base = reverse("referrals:list")
    current_key, descending = sort.removeprefix("-"), sort.startswith("-")
    headers = []
    for key, text in COLUMNS:
        if key == current_key:
            aria_sort = "descending" if descending else "ascending"
            next_sort = key if descending else f"-{key}"
        else:
            aria_sort = "none"
            # Dates read best newest first; names and places A to Z; risk most urgent first.
            next_sort = f"-{key}" if key in ("created", "updated") else key
        query = _query(q=q, sort=next_sort, per_page=per_page)
        headers.append({"key": key, "text": text, "aria_sort": aria_sort, "href": f"{base}?{query}" if query else base})
    return headers


@register_role_required(*ANY_REGISTER_ROLE)
@require_GET
def referral_list(request):
    access = request.register_access
    form = ReferralListForm(request.GET)
    options = form.options()
    page = referral_list_page(
        access=access,
        page_number=request.GET.get("page"),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        **options,
    )
    query = _query(**options)
    context = {
        "access": access,
        "form": form,
        "page": page,
        "pages": page_links(page, query),
        "headers": _headers(**options),
        "risk_tags": RISK_TAG_CLASSES,
        "per_page_choices": form.fields["per_page"].choices,
        "sort_choices": SORT_CHOICES,
        **options,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "referrals/list/_results.html" if partial else "referrals/list/list.html"
    response = render(request, template, {**context, "partial": partial})
    # The same address answers with the whole page or the results only: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
