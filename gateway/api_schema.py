"""Derive the API schema (what clients see) from a supergraph document.

The join and link machinery goes, and so does everything marked `@inaccessible`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLSchema,
    NamedTypeNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    build_ast_schema,
    parse,
)

KEPT_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf"})
DEPRECATED = parse(
    'directive @deprecated(reason: String = "No longer supported") '
    "on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE"
).definitions[0]
"""`@deprecated` as the GraphQL spec (and graphql-js, Apollo's) has it; introspection
shows it so. (This graphql-core's own adds a location and drops the default.)"""
SPEC_ORDER = ("include", "skip", "deprecated", "specifiedBy", "oneOf")
RESTRICTED_ENUMS = "cb_restricted_enums"
"""`schema.extensions` key: names of enums with `@inaccessible` values (a subgraph may
still answer them; the response shaper turns them into errors)."""
MACHINERY_PREFIXES = ("join__", "link__")
MACHINERY_DIRECTIVES = frozenset({"link", "inaccessible", "tag"})


def _is_machinery(name: str, ignored: frozenset[str] = frozenset()) -> bool:
    """The supergraph's own machinery, or a name of a linked spec only routers act on
    (`ignored`: directive names, and type prefixes ending in `__`)."""
    return (
        name.startswith(MACHINERY_PREFIXES)
        or name in MACHINERY_DIRECTIVES
        or name in ignored
        or any(name.startswith(prefix) for prefix in ignored if prefix.endswith("__"))
    )


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


def build_api_schema(document: DocumentNode, ignored: set[str] | None = None) -> GraphQLSchema:
    ignored_names = frozenset(ignored or ())
    hidden_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode)
        and (_is_machinery(d.name.value, ignored_names) or _is_inaccessible(d))
    }
    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            definitions.append(replace(definition, directives=()))
        elif isinstance(definition, DirectiveDefinitionNode):
            if not _is_machinery(definition.name.value, ignored_names):
                definitions.append(definition)
        elif (
            isinstance(definition, TypeDefinitionNode) and definition.name.value not in hidden_types
        ):
            definitions.append(_strip_type(definition, hidden_types))
    if not any(
        isinstance(d, DirectiveDefinitionNode) and d.name.value == "deprecated" for d in definitions
    ):
        definitions.append(DEPRECATED)
    schema = build_ast_schema(DocumentNode(definitions=tuple(definitions)))
    schema.extensions[RESTRICTED_ENUMS] = frozenset(
        d.name.value
        for d in document.definitions
        if isinstance(d, EnumTypeDefinitionNode) and any(map(_is_inaccessible, d.values or ()))
    )
    schema.directives = tuple(  # the spec's directives first, in graphql-js's order
        sorted(
            schema.directives,
            key=lambda d: SPEC_ORDER.index(d.name) if d.name in SPEC_ORDER else len(SPEC_ORDER),
        )
    )
    return schema
