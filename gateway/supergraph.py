"""A loaded supergraph: the API schema plus who resolves what, with unsupported features refused."""

from __future__ import annotations

import re

from graphql import (
    DirectiveNode,
    DocumentNode,
    GraphQLInterfaceType,
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


def _refuse_unsupported_features(document: DocumentNode) -> None:
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            url = directive_args(directive).get("url", "")
            match = SPEC_URL.match(url)
            name = match["name"] if match else url
            if name not in SUPPORTED_SPECS:
                raise UnsupportedSupergraphError(
                    f"unsupported supergraph feature @{name} (linked from {url})"
                )
    visit(document, _JoinDirectiveRefuser())


class _JoinDirectiveRefuser(Visitor):
    def enter_directive(self, node: DirectiveNode, *_args: object) -> None:
        if node.name.value == "join__directive":
            raise UnsupportedSupergraphError("unsupported supergraph feature @join__directive")


class Supergraph:
    """Answers the planner's questions: which subgraphs resolve a field, with which keys."""

    def __init__(self, sdl: str) -> None:
        document = parse(sdl)
        _refuse_unsupported_features(document)
        self.join: JoinMetadata = read_join_metadata(document)
        self.schema: GraphQLSchema = build_ast_schema(document)
        self.api_schema: GraphQLSchema = build_api_schema(document)
        self._field_graphs: dict[tuple[str, str], list[str]] = {}

    @property
    def subgraph_urls(self) -> dict[str, str]:
        return dict(self.join.subgraph_urls)

    def type_graphs(self, type_name: str) -> list[str]:
        return list(dict.fromkeys(j.graph for j in self.join.types.get(type_name, ())))

    def resolvable_keys(self, type_name: str, graph: str) -> list[SelectionSetNode]:
        """Keys through which `graph` can be asked for this entity with `_entities`."""
        return [
            j.key
            for j in self.join.types.get(type_name, ())
            if j.graph == graph and j.key is not None and j.resolvable
        ]

    def field_graphs(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that resolve the field themselves (not external, not overridden away)."""
        coordinate = (type_name, field_name)
        if coordinate not in self._field_graphs:
            joins = self.join.fields.get(coordinate)
            self._field_graphs[coordinate] = (
                list(
                    dict.fromkeys(
                        j.graph
                        for j in joins
                        if j.graph and not j.external and not j.used_overridden
                    )
                )
                if joins
                else self.type_graphs(type_name)
            )
        return self._field_graphs[coordinate]

    def field_join(self, type_name: str, field_name: str, graph: str) -> FieldJoin | None:
        for join in self.join.fields.get((type_name, field_name), ()):
            if join.graph == graph and not join.external:
                return join
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
