"""Form helpers shared by every app."""

from core.exceptions import ServiceError


def form_add_service_error(form, error: ServiceError) -> None:
    """Put a service's refusal on the form: on its field when the field is on the form,
    otherwise as a message for the whole form (the error summary shows both)."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, error.message)
