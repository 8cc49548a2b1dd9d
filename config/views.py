"""Error pages (NHS-styled, Jinja2)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    # An ExplainedPermissionDenied says why and who can help (core/exceptions.py).
    context = {
        "explained_heading": getattr(exception, "heading", ""),
        "explained_paragraphs": getattr(exception, "paragraphs", []),
    }
    return render(request, "errors/403.html", context, status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No context processors that touch the database: the error may be the database.
    return HttpResponseServerError(get_template("errors/500.html").render({"request": None}))
