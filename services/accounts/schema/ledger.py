"""A learner's ledger, a page at a time, newest first; and the redemptions of credits."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from cbkit.errors import Refusal
from cbkit.graphql import from_record
from services.accounts.domain import ledger
from services.accounts.repository import ledger as store
from services.accounts.schema import accounts
from services.accounts.schema.context import Info

if TYPE_CHECKING:
    from services.accounts.schema.accounts import Account

strawberry.enum(ledger.EntryKind, name="LedgerEntryKind")

AccountType = Annotated["Account", strawberry.lazy("services.accounts.schema.accounts")]
DEFAULT_PAGE = 50
MAX_PAGE = 200


@strawberry.type
class LedgerEntry:
    id: strawberry.ID
    kind: ledger.EntryKind
    credits: Decimal
    course_code: str | None
    conversion_id: strawberry.ID | None
    institution_id: strawberry.Private[str | None]
    occurred_at: datetime
    note: str | None

    @strawberry.field
    async def institution(self, info: Info) -> AccountType | None:
        if self.institution_id is None:
            return None
        return await accounts.referenced(info, self.institution_id)

    @classmethod
    def from_record(cls, entry: ledger.Entry) -> LedgerEntry:
        return from_record(cls, entry)


@strawberry.type
class LedgerPage:
    entries: list[LedgerEntry]
    next_cursor: str | None


async def page(info: Info, learner_id: str, first: int | None, after: str | None) -> LedgerPage:
    """Up to `first` entries older than the cursor `after`, and the cursor past them."""
    first = DEFAULT_PAGE if first is None else first
    if not 1 <= first <= MAX_PAGE:
        raise Refusal(f"first must be between 1 and {MAX_PAGE}", field="first")
    rows = await info.context.run(store.entries_before, learner_id, _position(after), first + 1)
    shown = rows[:first]
    return LedgerPage(
        entries=[LedgerEntry.from_record(entry) for _, entry in shown],
        next_cursor=_cursor(shown[-1][0]) if len(rows) > first else None,
    )


def _cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"ledger:{seq}".encode()).decode()


def _position(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        label, _, seq = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if label == "ledger" and seq.isascii() and seq.isdigit():
            return int(seq)
    except (binascii.Error, UnicodeDecodeError):
        pass
    raise Refusal("after must be a nextCursor from an earlier page", field="after")


@strawberry.type
class Redemption:
    id: strawberry.ID
    learner_id: strawberry.Private[str]
    institution_id: strawberry.Private[str]
    course_code: str
    credits: Decimal
    redeemed_at: datetime

    @strawberry.field
    async def learner(self, info: Info) -> AccountType:
        return await accounts.referenced(info, self.learner_id)

    @strawberry.field
    async def institution(self, info: Info) -> AccountType:
        return await accounts.referenced(info, self.institution_id)

    @classmethod
    def from_record(cls, redemption: ledger.Redemption) -> Redemption:
        return from_record(cls, redemption)
