"""The one exception passport services raise for a refused action; `message` is for the user."""

from core.exceptions import ServiceError


class PassportError(ServiceError):
    """A passport action the rules refuse (``field``: the form field it is about, if any)."""
