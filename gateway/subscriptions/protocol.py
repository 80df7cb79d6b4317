"""The graphql-transport-ws protocol as the gateway speaks it, to its clients and to the
subgraphs: the client's messages and how they are checked, the close codes
(ProtocolViolation), the token a `connection_init` carries and the fresh one a `ping`
may carry."""

from __future__ import annotations

from typing import Any

import orjson
from websockets.typing import Subprotocol

PROTOCOL = Subprotocol("graphql-transport-ws")

Message = dict[str, Any]


def encoded(message: Message) -> str:
    return orjson.dumps(message).decode()


class ProtocolViolation(Exception):
    """The client broke the protocol: the connection is closed with `code`."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def authorization_of(payload: dict[str, Any]) -> str | None:
    """The `Authorization` value a connection_init payload carries, if any."""
    value = payload.get("Authorization") or payload.get("authorization")
    if value is None and payload.get("token"):
        value = f"Bearer {payload['token']}"
    if value is not None and not isinstance(value, str):
        raise ProtocolViolation(4400, "The Authorization in connection_init must be a string")
    return value


def refresh_of(payload: dict[str, Any] | None) -> str | None:
    """The fresh `Authorization` a ping's payload carries (`{"authorization": ...}`)."""
    if payload is None:
        return None
    value = payload.get("authorization", payload.get("Authorization"))
    if value is not None and not isinstance(value, str):
        raise ProtocolViolation(4400, "The authorization in a ping must be a string")
    return value


def check_message(message: Any) -> Message:
    """The message, when it is one of the client's messages with the right fields."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolViolation(4400, "Invalid message received: no type")
    kind = message["type"]
    if kind in ("connection_init", "ping", "pong"):
        if message.get("payload") is not None and not isinstance(message["payload"], dict):
            raise ProtocolViolation(4400, f'Invalid message received: "{kind}" payload')
        return message
    if kind not in ("subscribe", "complete"):
        raise ProtocolViolation(4400, f'Invalid message received: type "{kind}"')
    if not isinstance(message.get("id"), str) or not message["id"]:
        raise ProtocolViolation(4400, f'Invalid message received: "{kind}" needs an id')
    if kind == "subscribe":
        payload = message.get("payload")
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("documentId") or "", str)
            or not _has_text_or_names_a_document(payload)
            or not isinstance(payload.get("variables") or {}, dict)
            or not isinstance(payload.get("operationName") or "", str)
            or not isinstance(payload.get("extensions") or {}, dict)
        ):
            raise ProtocolViolation(4400, 'Invalid message received: "subscribe" payload')
    return message


def names_a_document(payload: dict[str, Any]) -> bool:
    """Whether a `subscribe` payload names a document by its hash instead of (or besides)
    sending its text: `documentId`, or Apollo's `extensions.persistedQuery` (only a
    gateway with trusted documents runs these; see `connection`)."""
    extensions = payload.get("extensions")
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions
    return persisted or bool(payload.get("documentId"))


def _has_text_or_names_a_document(payload: dict[str, Any]) -> bool:
    query = payload.get("query")
    return isinstance(query, str) or (query is None and names_a_document(payload))
