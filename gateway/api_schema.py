"""Derive the API schema (what clients see) from a supergraph document.

The join and link machinery goes, and so does everything marked `@inaccessible`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLSchema,
    NamedTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    build_ast_schema,
)

KEPT_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf"})
MACHINERY_PREFIXES = ("join__", "link__")
MACHINERY_DIRECTIVES = frozenset({"link", "inaccessible", "tag"})


def _is_machinery(name: str) -> bool:
    return name.startswith(MACHINERY_PREFIXES) or name in MACHINERY_DIRECTIVES


def _is_inaccessible(node: Any) -> bool:
    return any(d.name.value == "inaccessible" for d in getattr(node, "directives", None) or ())


def _public_directives(node: Any) -> tuple[Any, ...]:
    return tuple(d for d in node.directives or () if d.name.value in KEPT_DIRECTIVES)


def _without_inaccessible(nodes: Any) -> tuple[Any, ...]:
    return tuple(_strip_node(node) for node in nodes or () if not _is_inaccessible(node))


def _strip_node(node: Any) -> Any:
    """A field, argument, enum value or input field without machinery directives."""
    changes: dict[str, Any] = {"directives": _public_directives(node)}
    if getattr(node, "arguments", None) is not None:
        changes["arguments"] = _without_inaccessible(node.arguments)
    return replace(node, **changes)


def _strip_type(node: TypeDefinitionNode, hidden_types: set[str]) -> TypeDefinitionNode:
    changes: dict[str, Any] = {"directives": _public_directives(node)}
    for list_attr in ("fields", "values"):
        if getattr(node, list_attr, None) is not None:
            changes[list_attr] = _without_inaccessible(getattr(node, list_attr))
    for named_types in ("interfaces", "types"):
        members: tuple[NamedTypeNode, ...] | None = getattr(node, named_types, None)
        if members is not None:
            changes[named_types] = tuple(m for m in members if m.name.value not in hidden_types)
    return replace(node, **changes)


def build_api_schema(document: DocumentNode) -> GraphQLSchema:
    hidden_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode)
        and (_is_machinery(d.name.value) or _is_inaccessible(d))
    }
    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            definitions.append(replace(definition, directives=()))
        elif isinstance(definition, DirectiveDefinitionNode):
            if not _is_machinery(definition.name.value):
                definitions.append(definition)
        elif (
            isinstance(definition, TypeDefinitionNode) and definition.name.value not in hidden_types
        ):
            definitions.append(_strip_type(definition, hidden_types))
    return build_ast_schema(DocumentNode(definitions=tuple(definitions)))
