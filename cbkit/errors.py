"""Refusals a user can act on. Domain code raises them; the GraphQL layer
shows the message and its code, and nothing was changed.

Every refusal is written in both languages: `message` in English and `zh` in
Simplified Chinese; the client's `Accept-Language` picks which it reads
(`cbkit.i18n`), the code and `field` stay the same."""

from __future__ import annotations

from cbkit.i18n import Language


class Refusal(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None, zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.zh = zh

    def text(self, language: Language) -> str:
        """The message in `language` (English when no Chinese was written)."""
        return self.zh if language == "zh" and self.zh else self.message


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
