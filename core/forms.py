"""Form helpers shared by every app."""

from core.exceptions import ServiceError


def form_add_service_error(form, error: ServiceError, *, field: str | None = None) -> None:
    """Put a service's refusal on the form: on the error's own field when the form has it,
    else on ``field`` (the view's guess, for an error that names none), otherwise as a message
    for the whole form (the error summary shows both)."""
    fields = getattr(form, "fields", {})
    chosen = next((name for name in (error.field, field) if name and name in fields), None)
    form.add_error(chosen, str(error))
