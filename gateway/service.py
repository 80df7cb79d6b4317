"""The gateway itself: plan (cached), fetch, shape, independent of HTTP framing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, execute_sync, get_variable_values

from gateway.edge.limits import QueryLimits
from gateway.executor import FetchRun
from gateway.operation import OperationError
from gateway.plan_cache import PlanCache
from gateway.response import ResponseShaper
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import Supergraph


@dataclass(frozen=True)
class GraphQLResponse:
    status: int
    body: dict[str, Any]
    fetches: dict[str, int] = field(default_factory=dict)
    """Subgraph requests the operation needed, by subgraph."""


def _error_body(errors: list[GraphQLError], code: str) -> dict[str, Any]:
    formatted = []
    for error in errors:
        entry = error.formatted
        entry["extensions"] = {"code": code, **(entry.get("extensions") or {})}
        formatted.append(entry)
    return {"errors": formatted}


class Gateway:
    """Serves operations over the subgraphs of one supergraph."""

    def __init__(
        self,
        supergraph_sdl: str,
        subgraph_urls: dict[str, str] | None = None,
        limits: QueryLimits | None = None,
    ) -> None:
        self.supergraph = Supergraph(supergraph_sdl)
        unknown = set(subgraph_urls or ()) - set(self.supergraph.subgraph_urls)
        if unknown:
            raise ValueError(f"URLs given for subgraphs not in the supergraph: {sorted(unknown)}")
        self.subgraph_urls = {**self.supergraph.subgraph_urls, **(subgraph_urls or {})}
        self.plans = PlanCache(self.supergraph, limits=limits)
        self._client: SubgraphClient | None = None

    @property
    def client(self) -> SubgraphClient:
        assert self._client is not None, "Gateway.start() was not awaited"
        return self._client

    async def start(self) -> None:
        self._client = SubgraphClient(timeout=30.0)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        authorization: str | None = None,
        *,
        allow_mutation: bool = True,
    ) -> GraphQLResponse:
        assert self._client is not None, "Gateway.start() was not awaited"
        try:
            plan = self.plans.plan(query, operation_name)
        except OperationError as error:
            return GraphQLResponse(400, _error_body(error.errors, error.code))
        if plan.operation.is_subscription:
            message = "Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql."
            return GraphQLResponse(400, _error_body([GraphQLError(message)], "BAD_REQUEST"))
        if plan.operation.is_mutation and not allow_mutation:
            message = "Can only perform a mutation operation from a POST request."
            return GraphQLResponse(405, _error_body([GraphQLError(message)], "BAD_REQUEST"))
        coerced = get_variable_values(
            self.supergraph.api_schema,
            plan.operation.operation.variable_definitions or (),
            variables or {},
        )
        if isinstance(coerced, list):
            return GraphQLResponse(400, _error_body(coerced, "BAD_USER_INPUT"))
        introspection: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        if plan.introspection is not None:
            result = execute_sync(
                self.supergraph.api_schema, plan.introspection, None, None, variables
            )
            introspection = result.data or {}
            errors += [dict(error.formatted) for error in result.errors or ()]
        headers = {"authorization": authorization} if authorization else {}
        run = FetchRun(self._client, self.subgraph_urls, variables or {}, headers)
        await run.run(plan)
        shaper = ResponseShaper(
            self.supergraph.api_schema, plan.operation, coerced.coerced, introspection
        )
        body: dict[str, Any] = {}
        errors += run.errors
        if errors:
            body["errors"] = errors
        body["data"] = shaper.shape(run.data)
        if shaper.errors and not errors:
            body["extensions"] = {"valueCompletion": shaper.errors}
        return GraphQLResponse(200, body, run.fetches)
