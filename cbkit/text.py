"""Bounded free text, refused the same way (in both languages) wherever a user types it:
its words squeezed to single spaces, not empty, at most so many characters. The
limits and which fields have them stay with each service's domain."""

from __future__ import annotations

from cbkit.errors import Refusal


def words(value: str) -> str:
    """`value` trimmed, each run of white space one space."""
    return " ".join(value.split())


def at_most(value: str, field: str, limit: int, *, zh_field: str | None = None) -> str:
    """`value` when it has at most `limit` characters, else a refusal naming `field`.

    `zh_field` is how the Chinese sentence opens on the field (by default its name and
    a space)."""
    if len(value) > limit:
        raise Refusal(
            f"{field} must be at most {limit} characters",
            field=field,
            zh=f"{_zh(field, zh_field)}最多 {limit} 个字符",
        )
    return value


def required(
    value: str, field: str, limit: int, *, blank: str = "empty", zh_field: str | None = None
) -> str:
    """The `words` of `value`, refused when there are none (`field` "must not be
    <blank>") or more than `limit` characters."""
    text = words(value)
    if not text:
        raise Refusal(
            f"{field} must not be {blank}", field=field, zh=f"{_zh(field, zh_field)}不能为空"
        )
    return at_most(text, field, limit, zh_field=zh_field)


def _zh(field: str, zh_field: str | None) -> str:
    return f"{field} " if zh_field is None else zh_field
