"""Refusals a user can act on. Domain code raises them; the GraphQL layer
shows the message and its code, and nothing was changed."""

from __future__ import annotations


class Refusal(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(Refusal):
    code = "NOT_FOUND"


class Forbidden(Refusal):
    code = "FORBIDDEN"


class Unauthenticated(Refusal):
    code = "UNAUTHENTICATED"


class Conflict(Refusal):
    code = "CONFLICT"


class TooLarge(Refusal):
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(Refusal):
    code = "UNSUPPORTED_MEDIA_TYPE"
