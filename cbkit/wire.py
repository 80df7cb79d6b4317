"""One wire format for what leaves a service as JSON (events, JSON columns):
instants are RFC 3339 in UTC with `Z`, days are ISO dates, credits are decimal
strings. Writers and readers both live here, so every service reads what every
other writes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any


def instant(value: datetime) -> str:
    """`2026-12-01T08:30:00.123456Z`; a naive datetime is a bug, not a UTC time."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} has no time zone")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_instant(text: str) -> datetime:
    """An RFC 3339 instant (with `Z` or an offset) as an aware UTC datetime."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"instant {text!r} has no offset")
    return value.astimezone(UTC)


def day(value: date) -> str:
    return value.isoformat()


def parse_day(text: str) -> date:
    return date.fromisoformat(text)


def optional_day(value: date | None) -> str | None:
    return None if value is None else day(value)


def parse_optional_day(text: str | None) -> date | None:
    return None if not text else parse_day(text)


def credits(value: Decimal) -> str:
    return str(value)


def parse_credits(value: str | int | Decimal) -> Decimal:
    """Credits from the wire: a decimal string (never a float)."""
    if isinstance(value, float):
        raise ValueError("credits are decimal strings, never floats")
    try:
        parsed = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"credits {value!r} are not a decimal number") from exc
    if not parsed.is_finite():
        raise ValueError(f"credits {value!r} are not a finite number")
    return parsed


def json_default(value: Any) -> Any:
    """For JSON encoders: the wire form of the types above."""
    if isinstance(value, Decimal):
        return credits(value)
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
