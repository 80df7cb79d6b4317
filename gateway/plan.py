"""Query plans: the fetches an operation needs, in the order their data depends on.

A plan is finished and immutable (cached and shared by concurrent requests); the planner
builds it with the mutable `FetchBuilder`s of `fetch_builder.py`."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode

from gateway.operation import PreparedOperation

ResponsePath = tuple[str, ...]
"""Response keys from the root to a position; lists are walked through implicitly."""


@dataclass(frozen=True)
class RequiredField:
    """A field of an entity representation, read from the fetched data at `source_key`."""

    name: str
    source_key: str
    children: tuple[RequiredField, ...] = ()
    only_for: frozenset[str] | None = None
    """Object types it is read for (a field of a `@requires` fragment); None: all."""


@dataclass(frozen=True)
class EntityCall:
    """One aliased `_entities` field of a fetch: same type, requirements and selection."""

    alias: str
    type_name: str
    """The `__typename` of the representations (an entity interface's name for a jump
    through the interface)."""
    typenames: frozenset[str]
    """The objects at the paths it is for, by `__typename` (an object from an
    `@interfaceObject` subgraph has none and is always taken)."""
    paths: tuple[ResponsePath, ...]
    required: tuple[RequiredField, ...]


@dataclass(frozen=True)
class Fetch:
    """One HTTP request to one subgraph. Root fetches have no entity calls."""

    id: int
    subgraph: str
    depends_on: frozenset[int]
    query: str
    variable_names: frozenset[str]
    entity_calls: tuple[EntityCall, ...]
    renames: tuple[tuple[str, str], ...] = ()
    """(alias, response key): fields aliased in this fetch because the subgraph types them
    differently in two implementations of one abstract type; renamed back on arrival."""


@dataclass(frozen=True)
class Plan:
    operation: PreparedOperation
    stages: tuple[tuple[Fetch, ...], ...]
    """Stages run one after another (mutation root fields); fetches in a stage by dependency."""
    introspection: DocumentNode | None
    """The introspection part of the operation, answered by the gateway itself."""
