"""Domain errors raised by services; views map them to form errors or problem documents."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `field` names the input at fault, if any."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class BadRequest(DomainError):
    """The request itself cannot be read (a parameter no page or API call ever makes)."""

    status = 400
    code = "bad_request"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
