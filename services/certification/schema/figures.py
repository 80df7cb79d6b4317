"""certification's part of the bank's figures: the entity `Stats` (key "bank"),
which accounts serves as `Query.stats`; every field, and the entity by its key,
only for admins."""

from __future__ import annotations

import strawberry

from cbkit.db import Connection
from cbkit.errors import NotFound
from services.certification import domain
from services.certification.domain import access
from services.certification.schema.context import Info
from services.certification.service_layer import figures

STATS_ID = "bank"


async def _open_cases(info: Info) -> figures.OpenCases:
    """Counted once per request, however many fields ask."""
    deps = info.context.deps

    async def count(conn: Connection, keys: list[str]) -> list[figures.OpenCases]:
        found = await figures.open_cases(conn, deps)
        return [found for _ in keys]

    return await info.context.loader("open_cases", count).load(STATS_ID)


@strawberry.type(description="Decisions made in one month, and whether they kept the promise.")
class DecisionMonth:
    month: str = strawberry.field(description='"YYYY-MM" in the bank\'s time zone')
    decided: int
    on_time: int = strawberry.field(description="decided on or before the case's dueOn")
    late: int = strawberry.field(description="decided after the case's dueOn")

    @classmethod
    def from_record(cls, month: domain.DecisionMonth) -> DecisionMonth:
        return cls(month=month.month, decided=month.decided, on_time=month.on_time, late=month.late)


@strawberry.federation.type(keys=["id"], description="The bank's figures (admins only).")
class Stats:
    id: strawberry.ID

    @strawberry.field(
        description="Review decisions per month, oldest first, and how many were on time"
        " (by the 15-working-day due day)."
    )
    async def decisions_by_month(self, info: Info) -> list[DecisionMonth]:
        info.context.require(*access.STATS_READERS)
        found = await info.context.run(figures.decisions_by_month, info.context.deps)
        return [DecisionMonth.from_record(month) for month in found]

    @strawberry.field(description="Cases waiting on a reviewer (PENDING and IN_REVIEW).")
    async def open_cases(self, info: Info) -> int:
        info.context.require(*access.STATS_READERS)
        return (await _open_cases(info)).open

    @strawberry.field(description="Open cases past their due day.")
    async def overdue_cases(self, info: Info) -> int:
        info.context.require(*access.STATS_READERS)
        return (await _open_cases(info)).overdue

    @classmethod
    def resolve_reference(cls, info: Info, id: strawberry.ID) -> Stats:
        info.context.require(*access.STATS_READERS)
        if id != STATS_ID:
            raise NotFound(
                f'the figures have the id "{STATS_ID}", not "{id}"',
                field="id",
                zh=f"统计数据的 ID 为“{STATS_ID}”，而不是“{id}”",
            )
        return cls(id=id)
