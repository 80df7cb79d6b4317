"""Query plans: the fetches an operation needs, in the order their data depends on."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import DocumentNode, print_ast

from gateway.operation import PreparedOperation
from gateway.selection_tree import SelectionTree

ResponsePath = tuple[str, ...]
"""Response keys from the root to a position; lists are walked through implicitly."""


@dataclass(frozen=True)
class RequiredField:
    """A field of an entity representation, read from the fetched data at `source_key`."""

    name: str
    source_key: str
    children: tuple[RequiredField, ...] = ()


@dataclass(frozen=True)
class EntityCall:
    """One aliased `_entities` field of a fetch: same type, requirements and selection."""

    alias: str
    type_name: str
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


@dataclass(frozen=True)
class Plan:
    operation: PreparedOperation
    stages: tuple[tuple[Fetch, ...], ...]
    """Stages run one after another (mutation root fields); fetches in a stage by dependency."""
    introspection: DocumentNode | None
    """The introspection part of the operation, answered by the gateway itself."""


@dataclass
class EntityEntry:
    """Entities of one type at one position, and what to fetch for them."""

    path: ResponsePath
    type_name: str
    required: tuple[RequiredField, ...]
    selection: SelectionTree = field(default_factory=SelectionTree)


@dataclass
class FetchBuilder:
    """A fetch being planned: either a root selection or entity entries."""

    id: int
    subgraph: str
    depends_on: frozenset[int]
    root: SelectionTree | None = None
    entries: dict[tuple[ResponsePath, str, tuple[RequiredField, ...]], EntityEntry] = field(
        default_factory=dict
    )

    def entry(
        self, path: ResponsePath, type_name: str, required: tuple[RequiredField, ...]
    ) -> EntityEntry:
        key = (path, type_name, required)
        if key not in self.entries:
            self.entries[key] = EntityEntry(path, type_name, required)
        return self.entries[key]

    def build(self, operation: PreparedOperation) -> Fetch:
        if self.root is not None:
            kind = operation.operation.operation.value
            return self._fetch(kind, self.root.print(), self.root.all_variables(), (), operation)
        calls: dict[tuple[str, str, tuple[RequiredField, ...]], list[ResponsePath]] = {}
        used_variables: set[str] = set()
        for entry in self.entries.values():
            printed = entry.selection.print()
            calls.setdefault((entry.type_name, printed, entry.required), []).append(entry.path)
            used_variables |= entry.selection.all_variables()
        entity_calls, fields, representation_variables = [], [], []
        for index, ((type_name, printed, required), paths) in enumerate(calls.items()):
            alias = f"{operation.internal_prefix}{index}"
            entity_calls.append(EntityCall(alias, type_name, tuple(paths), required))
            representation_variables.append(f"${alias}: [_Any!]!")
            fields.append(
                f"{alias}: _entities(representations: ${alias}) {{ ... on {type_name} {printed} }}"
            )
        body = "{ " + " ".join(fields) + " }"
        return self._fetch(
            "query", body, used_variables, tuple(entity_calls), operation, representation_variables
        )

    def _fetch(
        self,
        kind: str,
        body: str,
        variable_names: set[str],
        entity_calls: tuple[EntityCall, ...],
        operation: PreparedOperation,
        extra_definitions: list[str] | None = None,
    ) -> Fetch:
        definitions = list(extra_definitions or [])
        definitions += [
            print_ast(definition)
            for definition in operation.operation.variable_definitions or ()
            if definition.variable.name.value in variable_names
        ]
        signature = f"({', '.join(definitions)})" if definitions else ""
        return Fetch(
            id=self.id,
            subgraph=self.subgraph,
            depends_on=self.depends_on,
            query=f"{kind}{signature} {body}",
            variable_names=frozenset(variable_names),
            entity_calls=entity_calls,
        )
