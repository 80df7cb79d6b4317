"""Read the join spec metadata (which subgraph owns what) out of a supergraph SDL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    OperationDefinitionNode,
    SelectionSetNode,
    UnionTypeDefinitionNode,
    parse,
    value_from_ast_untyped,
)


class UnsupportedSupergraphError(ValueError):
    """The supergraph uses a feature this gateway refuses to run with."""


@dataclass(frozen=True)
class TypeJoin:
    """One `@join__type`: the type exists in `graph`, maybe as an entity with `key`;
    an interface `graph` defines as an object type (`@interfaceObject`) is one there."""

    graph: str
    key: SelectionSetNode | None
    resolvable: bool
    interface_object: bool = False


@dataclass(frozen=True)
class FieldJoin:
    """One `@join__field`: how `graph` defines the field. `type` is the field's type in
    that subgraph when it differs from the supergraph's; `override_label` marks a
    progressive `@override`, whose labels this gateway never enables (the old owner
    keeps the field, as in Apollo Gateway)."""

    graph: str | None
    requires: SelectionSetNode | None
    external: bool
    used_overridden: bool
    provides: SelectionSetNode | None = None
    type: str | None = None
    override: str | None = None
    override_label: str | None = None

    @property
    def serves(self) -> bool:
        """The subgraph resolves the field itself (not external, not overridden away)."""
        return (
            self.graph is not None
            and not self.external
            and not self.used_overridden
            and not (self.override and self.override_label)
        )


@dataclass
class JoinMetadata:
    """Everything the planner needs to know about which subgraph resolves what."""

    subgraph_urls: dict[str, str] = field(default_factory=dict)
    types: dict[str, list[TypeJoin]] = field(default_factory=dict)
    fields: dict[tuple[str, str], list[FieldJoin]] = field(default_factory=dict)
    implements: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    union_members: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def directive_args(directive: ConstDirectiveNode) -> dict[str, Any]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _applied(node: Any, name: str) -> list[dict[str, Any]]:
    return [directive_args(d) for d in node.directives or () if d.name.value == name]


def _refuse_unsupported_field_join(coordinate: str, args: dict[str, Any]) -> None:
    if args.get("contextArguments"):
        raise UnsupportedSupergraphError(
            f"unsupported supergraph feature @fromContext (on {coordinate})"
        )


def parse_field_set(field_set: str) -> SelectionSetNode:
    """A `join__FieldSet` (a key or a `@requires`), parsed once when the supergraph loads."""
    definition = parse(f"{{ {field_set} }}", no_location=True).definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    return definition.selection_set


def _optional_field_set(field_set: str | None) -> SelectionSetNode | None:
    return parse_field_set(field_set) if field_set else None


def read_join_metadata(document: DocumentNode) -> JoinMetadata:
    """Collect the join directives; graph enum values are translated to subgraph names."""
    meta = JoinMetadata()
    graph_names = _read_graphs(document, meta)

    def graph_of(args: dict[str, Any]) -> str:
        return graph_names[args["graph"]]

    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            _read_composite_type(definition, graph_of, meta)
        elif isinstance(definition, UnionTypeDefinitionNode):
            meta.union_members[definition.name.value] = [
                (graph_of(args), args["member"])
                for args in _applied(definition, "join__unionMember")
            ]
    return meta


def _read_graphs(document: DocumentNode, meta: JoinMetadata) -> dict[str, str]:
    """Subgraph names by `join__Graph` value; their URLs go into `meta`."""
    graph_names: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == (
            "join__Graph"
        ):
            for value in definition.values or ():
                (graph,) = _applied(value, "join__graph")
                graph_names[value.name.value] = graph["name"]
                meta.subgraph_urls[graph["name"]] = graph["url"]
    return graph_names


def _read_composite_type(
    definition: ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode,
    graph_of: Callable[[dict[str, Any]], str],
    meta: JoinMetadata,
) -> None:
    type_name = definition.name.value
    meta.types[type_name] = []
    for args in _applied(definition, "join__type"):
        key = _optional_field_set(args.get("key"))
        meta.types[type_name].append(
            TypeJoin(
                graph_of(args),
                key,
                args.get("resolvable", True),
                bool(args.get("isInterfaceObject")),
            )
        )
    meta.implements[type_name] = [
        (graph_of(args), args["interface"]) for args in _applied(definition, "join__implements")
    ]
    for field_def in definition.fields or ():
        coordinate = f"{type_name}.{field_def.name.value}"
        joins = []
        for args in _applied(field_def, "join__field"):
            _refuse_unsupported_field_join(coordinate, args)
            joins.append(
                FieldJoin(
                    graph=graph_of(args) if args.get("graph") else None,
                    requires=_optional_field_set(args.get("requires")),
                    external=bool(args.get("external")),
                    used_overridden=bool(args.get("usedOverridden")),
                    provides=_optional_field_set(args.get("provides")),
                    type=args.get("type"),
                    override=args.get("override"),
                    override_label=args.get("overrideLabel"),
                )
            )
        meta.fields[(type_name, field_def.name.value)] = joins
