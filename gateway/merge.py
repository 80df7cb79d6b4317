"""The data side of a plan's run: the entity representations an `_entities` call sends,
read from the data fetched so far, and each subgraph's answer merged into that data."""

from __future__ import annotations

from typing import Any

import orjson

from gateway.plan import EntityCall, RequiredField, ResponsePath

Target = tuple[dict[str, Any], list[str | int]]
"""An object in the merged data and its path in the client's response."""


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


def _required_value(value: Any, children: tuple[RequiredField, ...], typename_key: str) -> Any:
    if not children or value is None:
        return value
    if isinstance(value, list):
        items = [_required_value(item, children, typename_key) for item in value]
        return _MISSING if any(item is _MISSING for item in items) else items
    if not isinstance(value, dict):
        return _MISSING
    representation = {}
    for required in children:
        if required.only_for is not None:
            typename = value.get(typename_key)
            if typename is not None and typename not in required.only_for:
                continue
        nested = _required_value(
            value.get(required.source_key, _MISSING), required.children, typename_key
        )
        if nested is _MISSING:
            return _MISSING
        representation[required.name] = nested
    return representation


def representations(
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
            typename = obj.get(typename_key)
            if typename is not None and typename not in call.typenames:
                continue
            representation = _required_value(obj, call.required, typename_key)
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
        merge_object(existing, incoming)
        return existing
    if isinstance(existing, list) and isinstance(incoming, list) and len(existing) == len(incoming):
        return [_merge_value(a, b) for a, b in zip(existing, incoming, strict=True)]
    return incoming


def renamed(value: Any, renames: dict[str, str]) -> Any:
    """A subgraph's answer with the keys the planner aliased given back their names."""
    if isinstance(value, list):
        return [renamed(item, renames) for item in value]
    if isinstance(value, dict):
        return {renames.get(key, key): renamed(item, renames) for key, item in value.items()}
    return value


def merge_object(target: dict[str, Any], incoming: Any) -> None:
    if not isinstance(incoming, dict):
        return
    for key, value in incoming.items():
        target[key] = _merge_value(target[key], value) if key in target else value
