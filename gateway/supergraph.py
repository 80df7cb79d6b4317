"""A loaded supergraph: the API schema plus who resolves what, with unsupported features refused."""

from __future__ import annotations

import re

from graphql import (
    DirectiveNode,
    DocumentNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    SchemaDefinitionNode,
    SelectionSetNode,
    build_ast_schema,
    parse,
    visit,
)
from graphql.language import Visitor

from gateway.api_schema import build_api_schema
from gateway.join import (
    FieldJoin,
    JoinMetadata,
    UnsupportedSupergraphError,
    directive_args,
    read_join_metadata,
)

SUPPORTED_SPECS = frozenset({"link", "join", "inaccessible", "tag"})
SPEC_URL = re.compile(r"^https://specs\.apollo\.dev/(?P<name>[^/]+)/v(?P<version>[\d.]+)$")

__all__ = ["Supergraph", "UnsupportedSupergraphError"]


def _refuse_unsupported_features(document: DocumentNode) -> set[str]:
    """Refuse linked specs the gateway must understand to answer rightly (`for:
    SECURITY` or `EXECUTION`); the names of the others (their directives and types,
    `@cost`, `@listSize`, ...), which only routers act on, are returned to be ignored."""
    ignored: set[str] = set()
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            args = directive_args(directive)
            url = args.get("url", "")
            match = SPEC_URL.match(url)
            name = match["name"] if match else url
            if name in SUPPORTED_SPECS:
                continue
            if args.get("for") in ("SECURITY", "EXECUTION") or not match:
                raise UnsupportedSupergraphError(
                    f"unsupported supergraph feature @{name} (linked from {url})"
                )
            ignored.add(f"{args.get('as') or name}__")
            for imported in args.get("import") or ():
                imported_name = (
                    imported.get("as") or imported["name"]
                    if isinstance(imported, dict)
                    else imported
                )
                ignored.add(str(imported_name).lstrip("@"))
    visit(document, _JoinDirectiveRefuser())
    return ignored


class _JoinDirectiveRefuser(Visitor):
    def enter_directive(self, node: DirectiveNode, *_args: object) -> None:
        if node.name.value == "join__directive":
            raise UnsupportedSupergraphError("unsupported supergraph feature @join__directive")


class Supergraph:
    """Answers the planner's questions: which subgraphs resolve a field, with which keys."""

    def __init__(self, sdl: str) -> None:
        document = parse(sdl)
        ignored = _refuse_unsupported_features(document)
        self.join: JoinMetadata = read_join_metadata(document)
        self.schema: GraphQLSchema = build_ast_schema(document)
        self.api_schema: GraphQLSchema = build_api_schema(document, ignored)
        self._field_graphs: dict[tuple[str, str], list[str]] = {}

    @property
    def subgraph_urls(self) -> dict[str, str]:
        return dict(self.join.subgraph_urls)

    def type_graphs(self, type_name: str) -> list[str]:
        return list(dict.fromkeys(j.graph for j in self.join.types.get(type_name, ())))

    def is_entity(self, type_name: str) -> bool:
        """Some subgraph has a key for the type (an object, or an entity interface)."""
        return any(j.key is not None for j in self.join.types.get(type_name, ()))

    def resolvable_keys(self, type_name: str, graph: str) -> list[SelectionSetNode]:
        """Keys through which `graph` can be asked for this entity with `_entities`."""
        return [
            j.key
            for j in self.join.types.get(type_name, ())
            if j.graph == graph and j.key is not None and j.resolvable
        ]

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        """`graph` knows this interface only as an object type (`@interfaceObject`): its
        answers name the interface as `__typename`, never the object's own type."""
        return any(
            j.graph == graph and j.interface_object for j in self.join.types.get(type_name, ())
        )

    def field_graphs(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that resolve the field themselves (not external, not overridden away,
        no progressive override whose label is off)."""
        coordinate = (type_name, field_name)
        if coordinate not in self._field_graphs:
            joins = self.join.fields.get(coordinate)
            self._field_graphs[coordinate] = (
                list(dict.fromkeys(j.graph for j in joins if j.graph and j.serves))
                if joins
                else self.type_graphs(type_name)
            )
        return self._field_graphs[coordinate]

    def field_join(self, type_name: str, field_name: str, graph: str) -> FieldJoin | None:
        for join in self.join.fields.get((type_name, field_name), ()):
            if join.graph == graph and not join.external:
                return join
        return None

    def requires(self, type_name: str, field_name: str, graph: str) -> SelectionSetNode | None:
        join = self.field_join(type_name, field_name, graph)
        return join.requires if join else None

    def field_type_in(self, type_name: str, field_name: str, graph: str) -> str | None:
        """The field's type as `graph` declares it, when it differs from the supergraph's."""
        for join in self.join.fields.get((type_name, field_name), ()):
            if join.graph == graph and join.type:
                return join.type
        return None

    def interface_route(self, type_name: str, field_name: str) -> str | None:
        """An entity interface of the object type through which some subgraph resolves
        the field (an `@interfaceObject` subgraph adds fields to every implementation)."""
        object_type = self.schema.get_type(type_name)
        if not isinstance(object_type, GraphQLObjectType):
            return None
        for interface in object_type.interfaces:
            if any(
                self.resolvable_keys(interface.name, graph)
                for graph in self.field_graphs(interface.name, field_name)
            ):
                return interface.name
        return None

    def possible_types_in(self, abstract_name: str, graph: str) -> list[str]:
        """Object types a field of this abstract type can return from `graph`."""
        if abstract_name in self.join.union_members:
            return [m for g, m in self.join.union_members[abstract_name] if g == graph]
        return [
            type_name
            for type_name, implemented in self.join.implements.items()
            if (graph, abstract_name) in implemented
            and type_name in self.join.types
            and not isinstance(self.schema.get_type(type_name), GraphQLInterfaceType)
        ]
