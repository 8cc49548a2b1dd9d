"""The errors centres services raise when a business rule refuses a change."""


class CentreServiceError(Exception):
    """A business rule refused the change; the message is written for the person."""


class DelegateEmailTakenError(CentreServiceError):
    """The email address cannot be changed to this one (another account uses it, or the
    account is not the centre's to redirect); shown against the email field."""
