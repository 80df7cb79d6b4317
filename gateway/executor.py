"""Run a plan's fetches against the subgraphs and merge what they return."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from cbkit.logs import request_id
from gateway.merge import Target, merge_object, renamed, representations
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
    seen: set[tuple[str, str]] = set()
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
        for client_path in client_paths(path):
            key = (base["message"], repr(client_path))
            if key not in seen:  # a field asked twice (for the client and as a requirement)
                seen.add(key)
                found.append({**base, "path": client_path, "extensions": extensions})
    return found


_ARGUMENTS_DIGEST = re.compile(r"_[0-9a-f]{8}$")


def public_path(path: list[Any], prefix: str, renames: tuple[tuple[str, str], ...]) -> list[Any]:
    """A subgraph's error path with the gateway's internal aliases named as the fields
    they alias (`_cb_rate` is `rate`; `_cb_rate_1a2b3c4d` too, its arguments' digest)."""
    if not any(isinstance(key, str) and key.startswith(prefix) for key in path):
        return path
    aliases = dict(renames)
    public: list[Any] = []
    for key in path:
        if isinstance(key, str) and key.startswith(prefix):
            key = aliases.get(key) or _ARGUMENTS_DIGEST.sub("", key[len(prefix) :])
        public.append(key)
    return public


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
                await self._fetch_root(fetch, prefix)
        except Exception as error:
            self._fail(fetch.subgraph, f"Fetch from subgraph {fetch.subgraph!r} failed: {error!r}")

    async def _fetch_root(self, fetch: Fetch, prefix: str) -> None:
        response = await self._send(fetch.subgraph, fetch.query, self._variables_of(fetch))
        if response is not None:
            data = response.get("data")
            merge_object(self.data, renamed(data, dict(fetch.renames)) if fetch.renames else data)
            self.errors += subgraph_errors(
                fetch.subgraph,
                response.get("errors"),
                lambda path: [public_path(path, prefix, fetch.renames)],
            )

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
        if fetch.renames:
            data = renamed(data, dict(fetch.renames))
        if isinstance(data, dict):
            self._merge_entities(fetch.subgraph, data, targets_by_call)

        def client_paths(path: list[Any]) -> list[list[Any]]:
            targets = targets_by_call.get(path[0]) if path else None
            if targets is None:
                return [public_path(path, prefix, fetch.renames)]
            if len(path) >= 2 and isinstance(path[1], int):
                rest = public_path(path[2:], prefix, fetch.renames)
                if path[1] < len(targets):
                    return [[*target_path, *rest] for _, target_path in targets[path[1]]]
                return [path]
            # the whole `_entities` failed: named as Apollo Gateway does, lists as "@"
            patterns = {
                tuple("@" if isinstance(key, int) else key for key in target_path): None
                for entity_targets in targets
                for _, target_path in entity_targets
            }
            return [[*pattern, "_entities"] for pattern in patterns]

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
