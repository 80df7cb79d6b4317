"""The walk over the API schema: every field reachable from `Query` and `Subscription`,
and for each a path by which the matrix asks it, through the gateway or one subgraph's
`_entities`.

Through the gateway, each object type is reached by its shortest path from an
entrance (a root field that answers about the learner, or the public catalog; ties go
to the first in schema order), and each of its fields is asked at the end of that path.
Through a subgraph, each entity type it resolves is asked by its key with `_entities`,
and every field the subgraph resolves is asked there, down through its value types
(an entity met on the way is asked on its own).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)
from graphql.pyutils import Undefined

from gateway.compose import SUPERGRAPH_PATH
from gateway.supergraph import Supergraph
from tests.access.matrix import TABLE, Readers

SUPERGRAPH = Supergraph(SUPERGRAPH_PATH.read_text())
API = SUPERGRAPH.api_schema

ARGUMENTS: dict[str, dict[str, str]] = {
    "Query.account": {"id": "learner"},
    "Query.outcome": {"id": "result"},
    "Query.previewConversion": {"credentialCode": "credential"},
    "Query.institution": {"code": "institution_code"},
    "Query.searchCatalog": {"text": "search_text"},
    "Query.verifyCredential": {"credential": "handed_in"},  # a JSON string: not verified
    "Query.webhookEndpoint": {"id": "learner"},  # no endpoint has her id: refused to all
    "Subscription.creditEvents": {"after": "feed_start"},
}
"""Arguments the walk passes, by field: argument name -> name of a value of the world."""

ASKED_ONLY: dict[str, str] = {
    "Query.me": "answers about the caller, not about the learner",
    "Query.reviewQueue": "answers with the cases the caller works on, of any learner",
    "Query.outcome": "one result; account(id).outcomes reaches every result of the learner",
    "Query.reviewQueueConnection": "the review queue as a page: the cases of any learner",
}
"""Root fields asked on their own, never entered to reach a type, and why."""


NOT_FOLLOWED: dict[str, str] = {
    "Account.institution": "null for a learner; Institution is asked through Query.institution",
}
"""Fields `_entities` asks but does not follow into their type, and why."""


class UnboundArgument(LookupError):
    """A field the walk must ask needs an argument ARGUMENTS does not give."""


@dataclass(frozen=True)
class Step:
    """One field on the way, with the names of the world's values its arguments take."""

    type_name: str
    field: str
    arguments: tuple[tuple[str, str], ...] = ()

    @property
    def coordinate(self) -> str:
        return f"{self.type_name}.{self.field}"

    def text(self, values: Mapping[str, str]) -> str:
        if not self.arguments:
            return self.field
        given = ", ".join(f'{name}: "{values[value]}"' for name, value in self.arguments)
        return f"{self.field}({given})"


Path = tuple[Step, ...]


@dataclass(frozen=True)
class Cell:
    """A field asked at the end of a path (from a root field, or from an entity)."""

    path: Path
    object_leaf: bool

    @property
    def coordinate(self) -> str:
        return self.path[-1].coordinate

    @property
    def readers(self) -> Readers:
        """Who may read it here: who may read every field on the way."""
        readers = TABLE[self.path[0].coordinate]
        for step in self.path[1:]:
            readers &= TABLE[step.coordinate]
        return readers

    @property
    def keys(self) -> list[str]:
        return [step.field for step in self.path]

    def text(self, values: Mapping[str, str]) -> str:
        """The selection that asks it: `a(x: "1") { b { c { __typename } } }`."""
        inner = "{ __typename }" if self.object_leaf else ""
        for depth in range(len(self.path) - 1, -1, -1):
            inner = f"{self.path[depth].text(values)} {inner}".strip()
            if depth:
                inner = f"{{ {inner} }}"
        return inner


def _fields(schema: GraphQLSchema, type_name: str) -> dict[str, GraphQLField]:
    found = schema.get_type(type_name)
    if not isinstance(found, GraphQLObjectType):
        raise TypeError(f"{type_name} is not an object type: the walk knows only those")
    return dict(found.fields)


def _object_type(field: GraphQLField) -> str | None:
    named = get_named_type(field.type)
    return named.name if isinstance(named, GraphQLObjectType) else None


def _step(type_name: str, name: str, field: GraphQLField) -> Step:
    bound = ARGUMENTS.get(f"{type_name}.{name}", {})
    for argument, definition in field.args.items():
        node = definition.ast_node
        defaulted = definition.default_value is not Undefined or bool(node and node.default_value)
        required = isinstance(definition.type, GraphQLNonNull) and not defaulted
        if required and argument not in bound:
            raise UnboundArgument(f"{type_name}.{name}({argument}:) needs a value in ARGUMENTS")
    return Step(type_name, name, tuple(bound.items()))


def _shortest_paths(
    schema: GraphQLSchema,
    starts: Iterable[tuple[str, Path]],
    follow: Callable[[str, str, str], bool] = lambda _type, _field, _target: True,
) -> dict[str, Path]:
    """Breadth first: each object type and the first shortest path that reaches it."""
    paths: dict[str, Path] = {}
    queue: deque[str] = deque()
    for type_name, path in starts:
        if type_name not in paths:
            paths[type_name] = path
            queue.append(type_name)
    while queue:
        type_name = queue.popleft()
        for name, field in _fields(schema, type_name).items():
            target = _object_type(field)
            if target and target not in paths and follow(type_name, name, target):
                paths[target] = (*paths[type_name], _step(type_name, name, field))
                queue.append(target)
    return paths


def _root_starts(
    schema: GraphQLSchema, root: str, skip: Iterable[str] = ()
) -> list[tuple[str, Path]]:
    starts: list[tuple[str, Path]] = []
    for name, field in _fields(schema, root).items():
        target = _object_type(field)
        if target and f"{root}.{name}" not in skip:
            starts.append((target, (_step(root, name, field),)))
    return starts


def _cells(
    schema: GraphQLSchema,
    paths: Mapping[str, Path],
    keep: Callable[[str, str, Path], bool] | None = None,
) -> list[Cell]:
    cells = []
    for type_name, path in paths.items():
        for name, field in _fields(schema, type_name).items():
            if keep is None or keep(type_name, name, path):
                step = _step(type_name, name, field)
                cells.append(Cell((*path, step), _object_type(field) is not None))
    return cells


def reachable(schema: GraphQLSchema = API) -> set[str]:
    """Every field reachable from Query and Subscription, as `Type.field`."""
    starts = [*_root_starts(schema, "Query"), *_root_starts(schema, "Subscription")]
    types = {"Query", "Subscription", *_shortest_paths(schema, starts)}
    return {f"{t}.{name}" for t in types for name in _fields(schema, t)}


def _root_cells(schema: GraphQLSchema, root: str) -> list[Cell]:
    return [
        Cell((_step(root, name, field),), _object_type(field) is not None)
        for name, field in _fields(schema, root).items()
    ]


def gateway_cells(schema: GraphQLSchema = API) -> list[Cell]:
    """Each root field of Query, and each field of every type reached from an entrance;
    a type reached only through a root field asked on its own (the review queue's page)
    is asked through that field."""
    paths = _shortest_paths(schema, _root_starts(schema, "Query", ASKED_ONLY))
    only = [start for start in _root_starts(schema, "Query") if start[0] not in paths]
    rest = _shortest_paths(schema, only, lambda _type, _field, target: target not in paths)
    return _root_cells(schema, "Query") + _cells(schema, paths) + _cells(schema, rest)


def subscription_cells(schema: GraphQLSchema = API) -> list[Cell]:
    """Each subscription, and each field of what it sends."""
    paths = _shortest_paths(schema, _root_starts(schema, "Subscription"))
    return _root_cells(schema, "Subscription") + _cells(schema, paths)


def key_field(type_name: str, graph: str) -> str | None:
    """The (single) key field through which `graph` resolves the entity, if it does."""
    keys = SUPERGRAPH.resolvable_keys(type_name, graph)
    return keys[0].selections[0].name.value if keys else None  # type: ignore[attr-defined]


def entity_cells(graph: str, schema: GraphQLSchema = API) -> dict[str, list[Cell]]:
    """Per entity type `graph` resolves: the cells asked of it through `_entities`."""
    joins = SUPERGRAPH.join.types
    entities = {t for t, js in joins.items() if any(j.graph == graph and j.key for j in js)}
    resolved = [t for t in sorted(entities) if key_field(t, graph) and schema.get_type(t)]

    def resolves(type_name: str, name: str, target: str = "") -> bool:
        followed = not target or f"{type_name}.{name}" not in NOT_FOLLOWED
        return (
            graph in SUPERGRAPH.field_graphs(type_name, name)
            and target not in entities
            and followed
        )

    cells: dict[str, list[Cell]] = {}
    for entity in resolved:
        paths = _shortest_paths(schema, [(entity, ())], resolves)

        def keep(type_name: str, name: str, path: Path, entity: str = entity) -> bool:
            is_key = type_name == entity and name == key_field(entity, graph)
            return resolves(type_name, name) and not is_key

        cells[entity] = _cells(schema, paths, keep)
    return cells


def merged(cells: Iterable[Cell], values: Mapping[str, str]) -> str:
    """One selection asking every cell (a subscription has one root field)."""
    tree: dict[str, dict] = {}
    for cell in cells:
        node = tree
        for step in cell.path:
            node = node.setdefault(step.text(values), {})
        if cell.object_leaf:
            node.setdefault("__typename", {})

    def text(node: dict[str, dict]) -> str:
        return " ".join(
            f"{key} {{ {text(inner)} }}" if inner else key for key, inner in node.items()
        )

    return text(tree)
