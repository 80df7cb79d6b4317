"""The mutable side of planning: fetches being built up while the planner walks an
operation, each turned into a finished, immutable `Fetch` once the walk is over."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import print_ast

from gateway.operation import PreparedOperation
from gateway.plan import EntityCall, Fetch, RequiredField, ResponsePath
from gateway.selection_tree import SelectionTree

EntryKey = tuple[ResponsePath, str, frozenset[str], tuple[RequiredField, ...]]
CallKey = tuple[str, frozenset[str], str, tuple[RequiredField, ...]]


@dataclass
class EntityEntry:
    """Entities of one type at one position, and what to fetch for them."""

    path: ResponsePath
    type_name: str
    typenames: frozenset[str]
    required: tuple[RequiredField, ...]
    selection: SelectionTree = field(default_factory=SelectionTree)


@dataclass
class FetchBuilder:
    """A fetch being planned: either a root selection or entity entries."""

    id: int
    subgraph: str
    depends_on: frozenset[int]
    root: SelectionTree | None = None
    entries: dict[EntryKey, EntityEntry] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)

    def entry(
        self,
        path: ResponsePath,
        type_name: str,
        typenames: frozenset[str],
        required: tuple[RequiredField, ...],
    ) -> EntityEntry:
        key = (path, type_name, typenames, required)
        if key not in self.entries:
            self.entries[key] = EntityEntry(path, type_name, typenames, required)
        return self.entries[key]

    def build(self, operation: PreparedOperation) -> Fetch:
        if self.root is None:
            return self._build_entities(operation)
        kind = operation.operation.operation.value
        return self._finish(operation, kind, self.root.print(), self.root.all_variables())

    def _build_entities(self, operation: PreparedOperation) -> Fetch:
        """One aliased `_entities` field per (type, selection, requirements), for all the
        paths that share them: one request per subgraph and step however many lists."""
        calls: dict[CallKey, list[ResponsePath]] = {}
        variables: set[str] = set()
        for entry in self.entries.values():
            key = (entry.type_name, entry.typenames, entry.selection.print(), entry.required)
            calls.setdefault(key, []).append(entry.path)
            variables |= entry.selection.all_variables()
        entity_calls, fields, representations = [], [], []
        for index, ((type_name, typenames, printed, required), paths) in enumerate(calls.items()):
            alias = f"{operation.internal_prefix}{index}"
            entity_calls.append(EntityCall(alias, type_name, typenames, tuple(paths), required))
            representations.append(f"${alias}: [_Any!]!")
            fields.append(
                f"{alias}: _entities(representations: ${alias}) {{ ... on {type_name} {printed} }}"
            )
        body = "{ " + " ".join(fields) + " }"
        return self._finish(
            operation, "query", body, variables, tuple(entity_calls), representations
        )

    def _finish(
        self,
        operation: PreparedOperation,
        kind: str,
        body: str,
        variable_names: set[str],
        entity_calls: tuple[EntityCall, ...] = (),
        definitions: list[str] | None = None,
    ) -> Fetch:
        """The fetch, declaring the operation's variables it uses (with their defaults)."""
        declared = [*(definitions or ())] + [
            print_ast(definition)
            for definition in operation.operation.variable_definitions or ()
            if definition.variable.name.value in variable_names
        ]
        signature = f"({', '.join(declared)})" if declared else ""
        return Fetch(
            id=self.id,
            subgraph=self.subgraph,
            depends_on=self.depends_on,
            query=f"{kind}{signature} {body}",
            variable_names=frozenset(variable_names),
            entity_calls=entity_calls,
            renames=tuple(self.renames.items()),
        )
