"""What every accounts resolver is given: `info.context.deps` holds the service's
dependencies (tokens, the credit feed, the clock), `info.context.pool` its database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

import strawberry

from cbkit.db import Connection
from cbkit.graphql import Context
from services.accounts.service_layer.dependencies import Dependencies

Info = strawberry.Info[Context[Dependencies], None]

P = ParamSpec("P")
T = TypeVar("T")


async def run(
    info: Info,
    use_case: Callable[Concatenate[Connection, P], Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """A use case of the service layer (or a read of the repository) on one of the
    pool's connections, given back as soon as it is done."""
    async with info.context.pool.acquire() as conn:
        return await use_case(conn, *args, **kwargs)
