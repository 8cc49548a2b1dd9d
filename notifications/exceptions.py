from core.exceptions import ServiceError


class NotificationError(ServiceError):
    """A preference or system notice change that breaks a rule; its message is for the person."""
