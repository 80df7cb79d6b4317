"""Run a plan's fetches against the subgraphs and merge what they return."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from cbkit.logs import request_id
from gateway.merge import Target, merge_object, representations
from gateway.plan import Fetch, Plan
from gateway.subgraph_client import FetchError, SubgraphClient

logger = logging.getLogger(__name__)

ClientPaths = Callable[[list[Any]], list[list[Any]]]
"""The client's response paths of a path in a subgraph's answer."""


@dataclass(frozen=True)
class Forwarded:
    """What every subgraph fetch of one client request carries on: the client's
    `Authorization`, the request's id (`X-Request-Id`, so logs join up) and the address
    the request came from (`X-Forwarded-For`: accounts throttles sign-ins per address).
    That address is the peer's, or what a proxy in uvicorn's `FORWARDED_ALLOW_IPS`
    (127.0.0.1 by default) says; a client's own claim replaces nothing. The client's
    `Accept-Language` goes on too: refusals and names come back in its language."""

    authorization: str | None = None
    request_id: str | None = None
    client_address: str | None = None
    accept_language: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "authorization": self.authorization,
            "x-request-id": self.request_id,
            "x-forwarded-for": self.client_address,
            "accept-language": self.accept_language,
        }
        return {name: value for name, value in headers.items() if value}


def unavailable(subgraph: str) -> dict[str, Any]:
    """The client's error when a subgraph cannot be asked or answers unusably: no host,
    port or exception text, only the request id, which joins it to the log line that
    has them."""
    rid = request_id.get()
    return {
        "message": f"a service is unavailable (request id {rid})",
        "extensions": {"code": "SERVICE_UNAVAILABLE", "serviceName": subgraph, "requestId": rid},
    }


def subgraph_errors(
    subgraph: str, errors: Any, client_paths: ClientPaths = lambda path: [path]
) -> list[dict[str, Any]]:
    """A subgraph's errors as the client sees them: in the client's paths, with a code and
    `serviceName`, as Apollo Gateway reports them."""
    found: list[dict[str, Any]] = []
    for error in errors if isinstance(errors, list) else ():
        if not isinstance(error, dict):
            continue
        extensions = {
            "code": "DOWNSTREAM_SERVICE_ERROR",
            **(error.get("extensions") or {}),
            "serviceName": subgraph,
        }
        base = {"message": error.get("message") or f"Error from subgraph {subgraph!r}"}
        path = error.get("path")
        if not isinstance(path, list):
            found.append({**base, "extensions": extensions})
            continue
        found += [{**base, "path": p, "extensions": extensions} for p in client_paths(path)]
    return found


class FetchRun:
    """Runs the fetches of one request; collects merged data and re-pathed errors."""

    def __init__(
        self,
        client: SubgraphClient,
        subgraph_urls: dict[str, str],
        variables: dict[str, Any],
        forwarded: Forwarded,
    ) -> None:
        self._client = client
        self._urls = subgraph_urls
        self._variables = variables
        self._headers = forwarded.headers()
        self.data: dict[str, Any] = {}
        self.errors: list[dict[str, Any]] = []
        self.fetches: dict[str, int] = {}
        """Requests sent, by subgraph."""

    async def run(self, plan: Plan) -> None:
        for stage in plan.stages:
            await self._run_stage(stage, plan.operation.internal_prefix)

    async def _run_stage(self, stage: tuple[Fetch, ...], prefix: str) -> None:
        if len(stage) == 1:
            await self._run_fetch(stage[0], prefix)
            return
        tasks: dict[int, asyncio.Task[None]] = {}

        async def after_dependencies(fetch: Fetch) -> None:
            await asyncio.gather(*(tasks[d] for d in fetch.depends_on))
            await self._run_fetch(fetch, prefix)

        for fetch in stage:
            tasks[fetch.id] = asyncio.ensure_future(after_dependencies(fetch))
        await asyncio.gather(*tasks.values())

    async def _run_fetch(self, fetch: Fetch, prefix: str) -> None:
        """Run one fetch; a failure becomes an error in the response, as in Apollo Gateway."""
        try:
            if fetch.entity_calls:
                await self._fetch_entities(fetch, prefix)
            else:
                await self._fetch_root(fetch)
        except Exception as error:
            self._fail(fetch.subgraph, f"Fetch from subgraph {fetch.subgraph!r} failed: {error!r}")

    async def _fetch_root(self, fetch: Fetch) -> None:
        response = await self._send(fetch.subgraph, fetch.query, self._variables_of(fetch))
        if response is not None:
            merge_object(self.data, response.get("data"))
            self.errors += subgraph_errors(fetch.subgraph, response.get("errors"))

    async def _fetch_entities(self, fetch: Fetch, prefix: str) -> None:
        variables = self._variables_of(fetch)
        targets_by_call: dict[str, list[list[Target]]] = {}
        for call in fetch.entity_calls:
            variables[call.alias], targets_by_call[call.alias] = representations(
                self.data, call, prefix
            )
        if not any(targets_by_call.values()):
            return
        response = await self._send(fetch.subgraph, fetch.query, variables)
        if response is None:
            return
        data = response.get("data")
        if isinstance(data, dict):
            self._merge_entities(fetch.subgraph, data, targets_by_call)

        def client_paths(path: list[Any]) -> list[list[Any]]:
            if len(path) >= 2 and path[0] in targets_by_call and isinstance(path[1], int):
                targets = targets_by_call[path[0]]
                if path[1] < len(targets):
                    return [[*target_path, *path[2:]] for _, target_path in targets[path[1]]]
            return [path]

        self.errors += subgraph_errors(fetch.subgraph, response.get("errors"), client_paths)

    def _variables_of(self, fetch: Fetch) -> dict[str, Any]:
        return {n: self._variables[n] for n in fetch.variable_names if n in self._variables}

    def _merge_entities(
        self, subgraph: str, data: dict[str, Any], targets_by_call: dict[str, list[list[Target]]]
    ) -> None:
        for alias, targets in targets_by_call.items():
            entities = data.get(alias)
            if not isinstance(entities, list) or len(entities) != len(targets):
                if targets:
                    detail = f'"data.{alias}" does not hold {len(targets)} entities'
                    self._fail(subgraph, f"Subgraph {subgraph!r}: {detail}")
                continue
            for entity, entity_targets in zip(entities, targets, strict=True):
                for target, _ in entity_targets:
                    merge_object(target, entity)

    async def _send(
        self, subgraph: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        body = orjson.dumps({"query": query, "variables": variables})
        self.fetches[subgraph] = self.fetches.get(subgraph, 0) + 1
        try:
            response = await self._client.post(self._urls[subgraph], body, self._headers)
            payload = orjson.loads(response.content)
        except (FetchError, OSError, orjson.JSONDecodeError) as error:
            self._fail(
                subgraph, f"Error while fetching subquery from service {subgraph!r}: {error}"
            )
            return None
        if not isinstance(payload, dict) or ("data" not in payload and "errors" not in payload):
            self._fail(subgraph, f"Subgraph {subgraph!r} answered HTTP {response.status_code}")
            return None
        return payload

    def _fail(self, subgraph: str, detail: str) -> None:
        logger.warning(detail)
        self.errors.append(unavailable(subgraph))
