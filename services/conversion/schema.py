"""The conversion subgraph: GraphQL types and thin resolvers."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from cbkit.graphql import Context, RefusalErrors
from services.conversion import repository


@strawberry.federation.type(keys=["code"])
class Major:
    code: str
    name: str


@strawberry.type
class Query:
    @strawberry.field
    async def majors(self, info: Info[Context, None]) -> list[Major]:
        async with info.context.pool.acquire() as conn:
            return [Major(code=m.code, name=m.name) for m in await repository.all_majors(conn)]


schema = strawberry.federation.Schema(query=Query, extensions=[RefusalErrors])
