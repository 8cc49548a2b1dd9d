"""One error for a refused action: every domain error subclasses ServiceError.

A service raises it with a message written for the person (what went wrong and what to do);
``field`` names the form field the message belongs to, or None for the whole form. Views put
it on the form with ``core.forms.form_add_service_error``.
"""


class ServiceError(Exception):
    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
