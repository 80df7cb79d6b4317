"""A learner's ledger, a page at a time, newest first; and the redemptions of credits."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from cbkit.auth import Role
from cbkit.errors import Refusal
from cbkit.graphql import FromRecord
from cbkit.paging import Connection, connection, page_request
from services.accounts.domain import access, ledger
from services.accounts.repository import ledger as store
from services.accounts.schema import accounts
from services.accounts.schema.context import Info
from services.accounts.service_layer import ledger as ledger_service

if TYPE_CHECKING:
    from services.accounts.schema.accounts import Account

strawberry.enum(ledger.EntryKind, name="LedgerEntryKind")

AccountType = Annotated["Account", strawberry.lazy("services.accounts.schema.accounts")]
DEFAULT_PAGE = 50
MAX_PAGE = 200


@strawberry.type
class LedgerEntry(FromRecord):
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


@strawberry.type
class LedgerPage:
    entries: list[LedgerEntry]
    next_cursor: str | None


async def page(info: Info, learner_id: str, first: int | None, after: str | None) -> LedgerPage:
    """Up to `first` entries older than the cursor `after`, and the cursor past them."""
    first = DEFAULT_PAGE if first is None else first
    if not 1 <= first <= MAX_PAGE:
        raise Refusal(
            f"first must be between 1 and {MAX_PAGE}",
            field="first",
            zh=f"first 必须在 1 到 {MAX_PAGE} 之间",
        )
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
    raise Refusal(
        "after must be a nextCursor from an earlier page",
        field="after",
        zh="after 必须是之前某一页返回的 nextCursor",
    )


@strawberry.type
class Redemption(FromRecord):
    id: strawberry.ID
    learner_id: strawberry.Private[str]
    institution_id: strawberry.Private[str]
    course_code: str
    credits: Decimal
    redeemed_at: datetime
    reversed_at: datetime | None = strawberry.field(
        description="when the institution reversed it, giving the credits back"
    )
    reversal_reason: str | None

    @strawberry.field
    async def learner(self, info: Info) -> AccountType:
        return await accounts.referenced(info, self.learner_id)

    @strawberry.field
    async def institution(self, info: Info) -> AccountType:
        return await accounts.referenced(info, self.institution_id)


async def ledger_connection(
    info: Info, learner_id: str, first: int | None, after: str | None
) -> Connection[LedgerEntry]:
    """A page of the learner's ledger, newest first."""
    request = page_request("ledger", first, after)
    found = await info.context.run(store.entries_page, learner_id, request)
    count = info.context.deferred(store.count_entries, learner_id)
    return connection(found, lambda row: LedgerEntry.from_record(row[1]), count)


async def redemptions_connection(
    info: Info, role: Role, account_id: str, first: int | None, after: str | None
) -> Connection[Redemption]:
    """A page of a learner's redemptions or of those an institution made, newest first;
    an institution reading a learner sees those it made."""
    request = page_request("redemptions", first, after)
    scope = access.list_scope(info.context.require(), account_id)
    found = await info.context.run(store.redemptions_page, role, account_id, scope, request)
    count = info.context.deferred(store.count_redemptions, role, account_id, scope)
    return connection(found, Redemption.from_record, count)


@strawberry.type
class LedgerMutations:
    @strawberry.mutation(
        description="Give a redemption's credits back to the learner (a REVERSED ledger"
        " entry): the institution that made it or an admin, once, within"
        " CB_REDEMPTION_REVERSAL_DAYS days of redeemedAt."
    )
    async def reverse_redemption(self, info: Info, id: strawberry.ID, reason: str) -> Redemption:
        viewer = info.context.require(*access.MANAGES_INSTITUTIONS)
        deps = info.context.deps
        redemption = await info.context.run(
            ledger_service.reverse_redemption,
            viewer,
            str(id),
            reason,
            deps.clock.now(),
            deps.redemption_reversal_days,
        )
        return Redemption.from_record(redemption)
