"""What an entity jump needs: a key the source subgraph can provide, plus @requires fields,
as selection sets (parsed once with the supergraph) the planner plans like client fields."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    NameNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    print_ast,
)

from gateway.plan import RequiredField
from gateway.supergraph import Supergraph


def entity_requirements(
    supergraph: Supergraph,
    type_name: str,
    field_name: str | None,
    source: str,
    target: str,
    prefix: str,
    shared: Callable[[str], bool] = lambda name: False,
) -> tuple[SelectionSetNode, SelectionSetNode]:
    """What `target`'s `_entities` needs to resolve the field: a key, and its @requires,
    aliased (`aliased`). A required leaf field without arguments for which `shared` says
    yes keeps its name: fetched once with the client's own (as Apollo Gateway does, the
    last answer for it is the one both get)."""
    key = aliased(choose_key(supergraph, type_name, source, target), prefix)
    requires = supergraph.requires(type_name, field_name, target) if field_name else None
    if requires is None:
        return key, SelectionSetNode(selections=())
    kept = [
        s
        for s in requires.selections
        if isinstance(s, FieldNode)
        and not s.selection_set
        and not s.arguments
        and not s.alias
        and shared(s.name.value)
    ]
    rest = SelectionSetNode(selections=tuple(s for s in requires.selections if s not in kept))
    return key, SelectionSetNode(selections=(*kept, *aliased(rest, prefix).selections))


def internal_alias(field: FieldNode, prefix: str) -> str:
    """The internal response key of a required field: its name, and a digest of its
    arguments when it has some (two @requires of one field with different arguments)."""
    if not field.arguments:
        return prefix + field.name.value
    printed = ",".join(print_ast(argument) for argument in field.arguments)
    return f"{prefix}{field.name.value}_{hashlib.sha1(printed.encode()).hexdigest()[:8]}"


def aliased(selection_set: SelectionSetNode, prefix: str) -> SelectionSetNode:
    """Give every field an internal alias, so requirements never clash with client keys."""
    selections = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = selection.selection_set
            selection = replace(
                selection,
                alias=NameNode(value=internal_alias(selection, prefix)),
                selection_set=aliased(children, prefix) if children else None,
            )
        elif isinstance(selection, InlineFragmentNode):
            selection = replace(selection, selection_set=aliased(selection.selection_set, prefix))
        selections.append(selection)
    return SelectionSetNode(selections=tuple(selections))


def required_fields(
    supergraph: Supergraph,
    type_name: str,
    selection_set: SelectionSetNode,
    prefix: str,
    only_for: frozenset[str] | None = None,
) -> tuple[RequiredField, ...]:
    """The representation's fields, read from the requirements as planned (their aliases); a
    fragment's fields are read for its object types only, and an abstract-typed field
    carries its `__typename`."""
    parent = supergraph.schema.get_type(type_name)
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    found: list[RequiredField] = []
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            inner_type = condition.name.value if condition else type_name
            inner_type_def = supergraph.schema.get_type(inner_type)
            assert inner_type_def is not None
            objects = (
                frozenset(t.name for t in supergraph.schema.get_possible_types(inner_type_def))
                if is_abstract_type(inner_type_def)
                else frozenset({inner_type})
            )
            found += required_fields(
                supergraph, inner_type, selection.selection_set, prefix, objects
            )
            continue
        assert isinstance(selection, FieldNode)
        name = selection.name.value
        if name == "__typename":
            continue
        children: tuple[RequiredField, ...] = ()
        if selection.selection_set:
            child_type = get_named_type(parent.fields[name].type)
            children = required_fields(supergraph, child_type.name, selection.selection_set, prefix)
            if is_abstract_type(child_type):
                children = (RequiredField("__typename", f"{prefix}__typename"), *children)
        source_key = selection.alias.value if selection.alias else name
        found.append(RequiredField(name, source_key, children, only_for))
    return tuple(found)


def direct_key(supergraph: Supergraph, type_name: str, source: str, target: str) -> bool:
    """`source` can give one of `target`'s keys itself (no other subgraph asked first)."""
    return any(
        _resolvable_in(supergraph, type_name, key, source)
        for key in supergraph.resolvable_keys(type_name, target)
    )


def choose_key(
    supergraph: Supergraph, type_name: str, source: str, target: str
) -> SelectionSetNode:
    """A key of `target`, preferably one that `source` can provide itself."""
    keys = supergraph.resolvable_keys(type_name, target)
    for key in keys:
        if _resolvable_in(supergraph, type_name, key, source):
            return key
    return keys[0]


def _resolvable_in(
    supergraph: Supergraph, type_name: str, selection_set: SelectionSetNode, graph: str
) -> bool:
    parent = supergraph.schema.get_type(type_name)
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
            continue
        if graph not in supergraph.field_graphs(type_name, selection.name.value):
            return False
        child_type = get_named_type(parent.fields[selection.name.value].type)
        if selection.selection_set and not _resolvable_in(
            supergraph, child_type.name, selection.selection_set, graph
        ):
            return False
    return True
