"""The credit event feed: what each learner's credit history says happened, in the
order it was recorded, with a cursor to resume from; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cbkit.errors import Refusal

FEED_TYPES = (
    "certification.approved",
    "certification.rejected",
    "certification.info_requested",
    "credits.converted",
    "credits.redeemed",
    "credits.redemption_reversed",
    "credits.expired",
    "credits.revoked",
    "certificate.awarded",
)
CURSOR_PREFIX = "cf:"


@dataclass(frozen=True)
class FeedEntry:
    position: int
    event_id: str
    learner_id: str
    type: str
    occurred_at: datetime
    data: dict[str, Any]

    @property
    def cursor(self) -> str:
        return cursor_of(self.position)


def cursor_of(position: int) -> str:
    return f"{CURSOR_PREFIX}{position}"


def position_of(cursor: str) -> int:
    """The feed position a cursor names; a cursor is only ever one we handed out."""
    digits = cursor.removeprefix(CURSOR_PREFIX)
    if not cursor.startswith(CURSOR_PREFIX) or not digits.isdigit():
        raise Refusal(
            "after must be a cursor received from creditEvents",
            field="after",
            zh="after 必须是从 creditEvents 收到的游标",
        )
    return int(digits)


def check_types(types: list[str] | None) -> list[str] | None:
    if types is None:
        return None
    unknown = sorted(set(types) - set(FEED_TYPES))
    if unknown:
        raise Refusal(
            f"unknown event types {', '.join(unknown)}; known: {', '.join(FEED_TYPES)}",
            field="types",
            zh=f"未知的事件类型 {'、'.join(unknown)}；已知类型：{'、'.join(FEED_TYPES)}",
        )
    return types
