"""CloudEvents 1.0 envelope, structured JSON mode.

The routing key is the short event type (`outcome.submitted`); the CloudEvents
`type` carries the namespace and version (`org.creditbank.outcome.submitted.v1`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from cbkit import wire

TYPE_PREFIX = "org.creditbank."
CONTENT_TYPE = "application/cloudevents+json"


class EnvelopeError(ValueError):
    pass


@dataclass(frozen=True)
class Event:
    routing_key: str
    source: str
    subject: str
    data: dict[str, Any]
    version: int = 1
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))

    def instant(self, name: str) -> datetime:
        """The instant `data[name]`, or the event's own time when the data has none."""
        value = self.data.get(name)
        return wire.parse_instant(value) if value else self.time

    @property
    def type(self) -> str:
        return f"{TYPE_PREFIX}{self.routing_key}.v{self.version}"

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "specversion": "1.0",
                "id": str(self.id),
                "source": self.source,
                "type": self.type,
                "time": wire.instant(self.time),
                "subject": self.subject,
                "datacontenttype": "application/json",
                "data": self.data,
            },
            default=wire.json_default,
            option=orjson.OPT_PASSTHROUGH_DATETIME,  # instants as wire.instant writes them
        )

    @classmethod
    def from_json(cls, body: bytes) -> Event:
        """The event a message carries; EnvelopeError, saying what is wrong, for
        anything else (not JSON, a field missing or of the wrong type)."""
        try:
            raw = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise EnvelopeError(f"not JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise EnvelopeError(f"not a JSON object but {type(raw).__name__}")
        kind = _text(raw, "type")
        if raw.get("specversion") != "1.0" or not kind.startswith(TYPE_PREFIX):
            raise EnvelopeError(f"not a Credit Bank CloudEvent: {kind[:80]!r}")
        routing_key, _, version = kind.removeprefix(TYPE_PREFIX).rpartition(".v")
        if not routing_key or not (version.isascii() and version.isdigit()):
            raise EnvelopeError(f"malformed event: type {kind[:80]!r} has no name or version")
        data = raw.get("data") or {}
        if not isinstance(data, dict):
            raise EnvelopeError(f"malformed event: data is a {type(data).__name__}, not an object")
        source, subject = _text(raw, "source"), _text(raw, "subject", required=False)
        event_id, time = _text(raw, "id"), _text(raw, "time")
        try:
            return cls(
                routing_key=routing_key,
                source=source,
                subject=subject,
                data=data,
                version=int(version),
                id=uuid.UUID(event_id),
                time=wire.parse_instant(time),
            )
        except ValueError as exc:
            raise EnvelopeError(f"malformed event: {exc}") from exc


def _text(raw: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = raw.get(name, None if required else "")
    if not isinstance(value, str):
        missing = "missing" if value is None else f"a {type(value).__name__}, not a string"
        raise EnvelopeError(f"malformed event: {name} is {missing}")
    return value
