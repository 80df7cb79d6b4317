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
        try:
            raw = orjson.loads(body)
            kind: str = raw["type"]
            if raw.get("specversion") != "1.0" or not kind.startswith(TYPE_PREFIX):
                raise EnvelopeError(f"not a Credit Bank CloudEvent: {kind!r}")
            routing_key, _, version = kind.removeprefix(TYPE_PREFIX).rpartition(".v")
            return cls(
                routing_key=routing_key,
                source=raw["source"],
                subject=raw.get("subject", ""),
                data=raw.get("data") or {},
                version=int(version),
                id=uuid.UUID(raw["id"]),
                time=wire.parse_instant(raw["time"]),
            )
        except (KeyError, ValueError, TypeError, orjson.JSONDecodeError) as exc:
            raise EnvelopeError(f"malformed event: {exc}") from exc
