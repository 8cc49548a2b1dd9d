"""One error for a refused action: every domain error subclasses ServiceError.

A service raises it with a message written for the person (what went wrong and what to do);
``field`` names the form field the message belongs to, or None for the whole form. Views put
it on the form with ``core.forms.form_add_service_error``.
"""

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class ExplainedPermissionDenied(PermissionDenied):
    """A refusal (403) that tells the person why and who can help: the 403 page shows
    `heading` and `paragraphs` instead of its general wording. Write them for the person
    refused; never name anything they may not see."""

    def __init__(self, heading: str, paragraphs: list[str]):
        super().__init__(heading)
        self.heading = heading
        self.paragraphs = paragraphs
