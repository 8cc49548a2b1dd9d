"""C1 "Find your centre": public pages, no login. Only public fields are read (see
`centres.directory`)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from centres import directory
from centres.forms.configuration import DirectorySearchForm


@require_GET
def centre_list(request):
    form = DirectorySearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    centres = directory.directory_search(query=query) if not form.errors else directory.directory_centres().none()
    page = Paginator(centres, directory.PAGE_SIZE).get_page(request.GET.get("page"))
    listed_at_all = bool(page.object_list) or directory.directory_centres().exists()

    def page_url(number: int) -> str:
        params = {"q": query} if query else {}
        params["page"] = number
        return f"?{urlencode(params)}"

    context = {
        "form": form,
        "query": query,
        "page": page,
        "rows": [(centre, directory.directory_rows(centre)) for centre in page.object_list],
        "listed_at_all": listed_at_all,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else None,
        "next_url": page_url(page.next_page_number()) if page.has_next() else None,
    }
    return render(request, "centres/directory/list.html", context, status=400 if form.errors else 200)


@require_GET
def centre_detail(request, code):
    centre = directory.directory_centre(code=code)
    if centre is None:
        raise Http404("No centre with that code is listed")
    return render(
        request, "centres/directory/detail.html", {"listed": centre, "rows": directory.directory_rows(centre)}
    )
