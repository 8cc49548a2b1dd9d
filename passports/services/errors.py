"""The one exception passport services raise for a refused action; `message` is for the user."""


class PassportError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
