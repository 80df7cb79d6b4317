"""The bank's figures for admins: the entity `Stats` (id "bank"), whose root
`Query.stats` accounts owns; other services add their own fields to it. Every path to
it (the root field, each field, `_entities`) asks the access policy."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from cbkit.auth import Role
from cbkit.graphql import FromRecord
from services.accounts.domain import access, stats
from services.accounts.schema.context import Info
from services.accounts.service_layer import stats as service_layer


@strawberry.type(description="How many accounts a role has.")
class RoleCount(FromRecord):
    role: Role
    count: int = strawberry.field(description="every account ever opened, closed ones too")
    disabled: int = strawberry.field(description="of them, disabled now")
    closed: int = strawberry.field(description="of them, closed by their learner")


@strawberry.type(description="The credits the ledger moved in a month, by kind of entry.")
class CreditMonth(FromRecord):
    month: str = strawberry.field(description='"YYYY-MM" in the bank\'s time zone')
    converted: Decimal
    redeemed: Decimal
    expired: Decimal
    revoked: Decimal
    reversed: Decimal = strawberry.field(description="redemptions reversed by institutions")


@strawberry.federation.type(keys=["id"], description="The bank's figures (admins).")
class Stats:
    id: strawberry.ID

    @strawberry.field(description="Accounts of every role, zero included.")
    async def accounts_by_role(self, info: Info) -> list[RoleCount]:
        info.context.require(*access.READS_STATS)
        found = await info.context.run(service_layer.accounts_by_role)
        return [RoleCount.from_record(r) for r in found]

    @strawberry.field(
        description="Credits converted, redeemed, expired, revoked and reversed per month"
        " (months with any, oldest first)."
    )
    async def credits_by_month(self, info: Info) -> list[CreditMonth]:
        info.context.require(*access.READS_STATS)
        found = await info.context.run(service_layer.credits_by_month, info.context.deps.clock.zone)
        return [CreditMonth.from_record(m) for m in found]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Stats | None:
        info.context.require(*access.READS_STATS)
        return cls(id=id) if str(id) == stats.STATS_ID else None


@strawberry.type
class StatsQueries:
    @strawberry.field(description="The bank's figures (admins).")
    async def stats(self, info: Info) -> Stats:
        info.context.require(*access.READS_STATS)
        return Stats(id=strawberry.ID(stats.STATS_ID))
