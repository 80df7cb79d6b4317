"""Run a plan's fetches against the subgraphs and merge what they return."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from gateway.plan import EntityCall, Fetch, Plan, RequiredField, ResponsePath
from gateway.subgraph_client import FetchError, SubgraphClient

Target = tuple[dict[str, Any], list[str | int]]
"""An object in the merged data and its path in the client's response."""


class FetchRun:
    """Runs the fetches of one request; collects merged data and re-pathed errors."""

    def __init__(
        self,
        client: SubgraphClient,
        subgraph_urls: dict[str, str],
        variables: dict[str, Any],
        headers: dict[str, str],
    ) -> None:
        self._client = client
        self._urls = subgraph_urls
        self._variables = variables
        self._headers = headers
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
            await self._fetch_and_merge(fetch, prefix)
        except Exception as error:
            self._fail(fetch.subgraph, f"Fetch from subgraph {fetch.subgraph!r} failed: {error!r}")

    async def _fetch_and_merge(self, fetch: Fetch, prefix: str) -> None:
        variables = {n: self._variables[n] for n in fetch.variable_names if n in self._variables}
        if not fetch.entity_calls:
            response = await self._send(fetch.subgraph, fetch.query, variables)
            if response is not None:
                _merge_object(self.data, response.get("data"))
                self._add_errors(fetch.subgraph, response.get("errors"), lambda p: [p])
            return
        targets_by_call: dict[str, list[list[Target]]] = {}
        for call in fetch.entity_calls:
            representations, targets = _representations(self.data, call, prefix)
            variables[call.alias] = representations
            targets_by_call[call.alias] = targets
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

        self._add_errors(fetch.subgraph, response.get("errors"), client_paths)

    def _merge_entities(
        self, subgraph: str, data: dict[str, Any], targets_by_call: dict[str, list[list[Target]]]
    ) -> None:
        for alias, targets in targets_by_call.items():
            entities = data.get(alias)
            if not isinstance(entities, list) or len(entities) != len(targets):
                if targets:
                    self._fail(subgraph, f'Expected "data.{alias}" to contain {len(targets)}')
                continue
            for entity, entity_targets in zip(entities, targets, strict=True):
                for target, _ in entity_targets:
                    _merge_object(target, entity)

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

    def _fail(self, subgraph: str, message: str) -> None:
        self.errors.append({"message": message, "extensions": {"serviceName": subgraph}})

    def _add_errors(self, subgraph: str, errors: Any, client_paths: Any) -> None:
        for error in errors or ():
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
                self.errors.append({**base, "extensions": extensions})
                continue
            for client_path in client_paths(path):
                self.errors.append({**base, "path": client_path, "extensions": extensions})


def _objects_at(data: dict[str, Any], path: ResponsePath) -> list[Target]:
    found: list[Target] = []

    def walk(value: Any, depth: int, response_path: list[str | int]) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, depth, [*response_path, index])
        elif isinstance(value, dict):
            if depth == len(path):
                found.append((value, response_path))
            else:
                key = path[depth]
                walk(value.get(key), depth + 1, [*response_path, key])

    walk(data, 0, [])
    return found


_MISSING = object()


def _required_value(value: Any, children: tuple[RequiredField, ...]) -> Any:
    if not children or value is None:
        return value
    if isinstance(value, list):
        items = [_required_value(item, children) for item in value]
        return _MISSING if any(item is _MISSING for item in items) else items
    if not isinstance(value, dict):
        return _MISSING
    representation = {}
    for required in children:
        nested = _required_value(value.get(required.source_key, _MISSING), required.children)
        if nested is _MISSING:
            return _MISSING
        representation[required.name] = nested
    return representation


def _representations(
    data: dict[str, Any], call: EntityCall, prefix: str
) -> tuple[list[dict[str, Any]], list[list[Target]]]:
    """De-duplicated representations of the call's entities, and the objects behind each."""
    typename_key = f"{prefix}__typename"
    index_by_key: dict[bytes, int] = {}
    representations: list[dict[str, Any]] = []
    targets: list[list[Target]] = []
    for path in call.paths:
        for target in _objects_at(data, path):
            obj = target[0]
            if obj.get(typename_key) != call.type_name:
                continue
            representation = _required_value(obj, call.required)
            if representation is _MISSING:
                continue
            representation = {"__typename": call.type_name, **representation}
            key = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            if key not in index_by_key:
                index_by_key[key] = len(representations)
                representations.append(representation)
                targets.append([])
            targets[index_by_key[key]].append(target)
    return representations, targets


def _merge_value(existing: Any, incoming: Any) -> Any:
    if isinstance(existing, dict) and isinstance(incoming, dict):
        _merge_object(existing, incoming)
        return existing
    if isinstance(existing, list) and isinstance(incoming, list) and len(existing) == len(incoming):
        return [_merge_value(a, b) for a, b in zip(existing, incoming, strict=True)]
    return incoming


def _merge_object(target: dict[str, Any], incoming: Any) -> None:
    if not isinstance(incoming, dict):
        return
    for key, value in incoming.items():
        target[key] = _merge_value(target[key], value) if key in target else value
