"""Read the join spec metadata (which subgraph owns what) out of a supergraph SDL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    UnionTypeDefinitionNode,
    value_from_ast_untyped,
)


class UnsupportedSupergraphError(ValueError):
    """The supergraph uses a feature this gateway refuses to run with."""


@dataclass(frozen=True)
class TypeJoin:
    """One `@join__type`: the type exists in `graph`, maybe as an entity with `key`."""

    graph: str
    key: str | None
    resolvable: bool


@dataclass(frozen=True)
class FieldJoin:
    """One `@join__field`: how `graph` defines the field."""

    graph: str | None
    requires: str | None
    provides: str | None
    external: bool
    used_overridden: bool


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


def _refuse_unsupported_type_join(type_name: str, args: dict[str, Any]) -> None:
    if args.get("isInterfaceObject"):
        raise UnsupportedSupergraphError(
            f"unsupported supergraph feature @interfaceObject (on type {type_name})"
        )


def _refuse_unsupported_field_join(coordinate: str, args: dict[str, Any]) -> None:
    if args.get("overrideLabel"):
        raise UnsupportedSupergraphError(
            f"unsupported supergraph feature progressive @override (label on {coordinate})"
        )
    if args.get("contextArguments"):
        raise UnsupportedSupergraphError(
            f"unsupported supergraph feature @fromContext (on {coordinate})"
        )


def read_join_metadata(document: DocumentNode) -> JoinMetadata:
    """Collect the join directives; graph enum values are translated to subgraph names."""
    meta = JoinMetadata()
    graph_names: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == (
            "join__Graph"
        ):
            for value in definition.values or ():
                (graph,) = _applied(value, "join__graph")
                graph_names[value.name.value] = graph["name"]
                meta.subgraph_urls[graph["name"]] = graph["url"]

    def graph_of(args: dict[str, Any]) -> str:
        return graph_names[args["graph"]]

    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            type_name = definition.name.value
            if isinstance(definition, InterfaceTypeDefinitionNode):
                for args in _applied(definition, "join__type"):
                    if args.get("key"):
                        raise UnsupportedSupergraphError(
                            f"unsupported supergraph feature entity interface "
                            f"(@key on interface {type_name})"
                        )
            meta.types[type_name] = []
            for args in _applied(definition, "join__type"):
                _refuse_unsupported_type_join(type_name, args)
                meta.types[type_name].append(
                    TypeJoin(graph_of(args), args.get("key"), args.get("resolvable", True))
                )
            meta.implements[type_name] = [
                (graph_of(args), args["interface"])
                for args in _applied(definition, "join__implements")
            ]
            for field_def in definition.fields or ():
                coordinate = f"{type_name}.{field_def.name.value}"
                joins = []
                for args in _applied(field_def, "join__field"):
                    _refuse_unsupported_field_join(coordinate, args)
                    joins.append(
                        FieldJoin(
                            graph=graph_of(args) if args.get("graph") else None,
                            requires=args.get("requires"),
                            provides=args.get("provides"),
                            external=bool(args.get("external")),
                            used_overridden=bool(args.get("usedOverridden")),
                        )
                    )
                meta.fields[(type_name, field_def.name.value)] = joins
        elif isinstance(definition, UnionTypeDefinitionNode):
            meta.union_members[definition.name.value] = [
                (graph_of(args), args["member"])
                for args in _applied(definition, "join__unionMember")
            ]
    return meta
