"""The gateway itself: plan (cached), fetch, shape, independent of HTTP framing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, get_variable_values

from gateway.executor import FetchRun, Forwarded
from gateway.introspection import IntrospectionAnswers
from gateway.limits import QueryLimits
from gateway.operation import OperationError
from gateway.plan import Plan
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


class Gateway:
    """Serves operations over the subgraphs of one supergraph."""

    def __init__(
        self,
        supergraph_sdl: str,
        subgraph_urls: dict[str, str] | None = None,
        limits: QueryLimits | None = None,
        introspection: bool = True,
        replicas: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`introspection=False` refuses operations with `__schema` or `__type`;
        `replicas`: the subgraphs served by several processes, their URLs."""
        self.supergraph = Supergraph(supergraph_sdl)
        unknown = set(subgraph_urls or ()) - set(self.supergraph.subgraph_urls)
        if unknown:
            raise ValueError(f"URLs given for subgraphs not in the supergraph: {sorted(unknown)}")
        self.subgraph_urls = {**self.supergraph.subgraph_urls, **(subgraph_urls or {})}
        self.plans = PlanCache(self.supergraph, limits=limits, introspection=introspection)
        self._introspection = IntrospectionAnswers(self.supergraph.api_schema)
        self._client: SubgraphClient | None = None
        self._replicas = {self.subgraph_urls[name]: urls for name, urls in (replicas or {}).items()}

    async def start(self) -> None:
        self._client = SubgraphClient(timeout=30.0, replicas=self._replicas)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def fetch_run(self, variables: dict[str, Any], forwarded: Forwarded) -> FetchRun:
        """A run of fetches for one request (or one subscription event)."""
        assert self._client is not None, "Gateway.start() was not awaited"
        return FetchRun(self._client, self.subgraph_urls, variables, forwarded)

    def coerce(self, plan: Plan, variables: dict[str, Any] | None) -> dict[str, Any]:
        """The operation's variables coerced to their types; OperationError when they are not."""
        definitions = plan.operation.operation.variable_definitions or ()
        coerced = get_variable_values(self.supergraph.api_schema, definitions, variables or {})
        if isinstance(coerced, list):
            raise OperationError(coerced, "BAD_USER_INPUT")
        return coerced.coerced

    def shaper(
        self, plan: Plan, coerced: dict[str, Any], introspection: dict[str, Any] | None = None
    ) -> ResponseShaper:
        return ResponseShaper(self.supergraph.api_schema, plan.operation, coerced, introspection)

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        forwarded: Forwarded | None = None,
        *,
        allow_mutation: bool = True,
    ) -> GraphQLResponse:
        try:
            plan = self.plans.plan(query, operation_name)
            _refuse_over_http(plan, allow_mutation)
            coerced = self.coerce(plan, variables)
        except OperationError as error:
            return GraphQLResponse(error.status, {"errors": error.formatted()})
        introspection, errors = await self._introspect(plan, variables)
        run = self.fetch_run(variables or {}, forwarded or Forwarded())
        await run.run(plan)
        body = self.shaper(plan, coerced, introspection).respond(run.data, errors + run.errors)
        return GraphQLResponse(200, body, run.fetches)

    async def _introspect(
        self, plan: Plan, variables: dict[str, Any] | None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The answer to the operation's `__schema`/`__type` fields, from the API schema."""
        if plan.introspection is None:
            return {}, []
        data, errors = await self._introspection.answer(plan.introspection, variables)
        return data, list(errors)


def _refuse_over_http(plan: Plan, allow_mutation: bool) -> None:
    if plan.operation.is_subscription:
        message = "Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql."
        raise OperationError([GraphQLError(message)], "BAD_REQUEST")
    if plan.operation.is_mutation and not allow_mutation:
        message = "Can only perform a mutation operation from a POST request."
        raise OperationError([GraphQLError(message)], "BAD_REQUEST", status=405)
