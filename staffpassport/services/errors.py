from core.exceptions import ServiceError


class StaffPassportServiceError(ServiceError):
    """A staff passport action refused, with a message for the person."""
