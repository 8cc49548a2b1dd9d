"""Issue 16 item 12: centre administrators list the centre's enrolments (filtered by framework
and learner, paginated in the database) and reach the removal of a started enrolment, which
only they may do (passports.services.enrolment.enrolment_removal_blocker)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from centres.roles import Permission
from core.decorators import permission_required
from core.presenters import page_links
from passports.forms import EnrolmentFilterForm
from passports.selectors.enrolments import enrolment_frameworks, enrolments_for_administrator

PAGE_SIZE = 25


@permission_required(Permission.MANAGE_DELEGATES)
@require_GET
def enrolment_list(request):
    form = EnrolmentFilterForm(request.GET, frameworks=enrolment_frameworks(centre=request.centre))
    filters = form.filters()
    enrolments = enrolments_for_administrator(centre=request.centre, **filters)
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in filters.items() if value})
    context = {
        "form": form,
        "page": page,
        "pages": page_links(page, query),
        "filtered": any(filters.values()),
    }
    return render(request, "passports/enrolment/list.html", context)
