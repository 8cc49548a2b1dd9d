"""Small helpers every staff passport settings view shares."""

from django.shortcuts import render

from core.forms import form_add_service_error
from staffpassport.services.errors import StaffPassportServiceError


def form_page(request, template: str, context: dict):
    """A form page: 400 when the form has errors (the page shows the error summary)."""
    form = context.get("form")
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


def service_apply(form, call, *, field: str | None = None):
    """Run a service; a refusal becomes an error on the form. Returns the service's result, or
    None when it refused."""
    try:
        return call() or True
    except StaffPassportServiceError as error:
        form_add_service_error(form, error, field=field)
        return None
