"""What an entity jump needs: a key the source subgraph can provide, plus @requires fields,
as selection sets (parsed once with the supergraph) the planner plans like client fields."""

from __future__ import annotations

from dataclasses import replace

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    NameNode,
    SelectionSetNode,
    get_named_type,
)

from gateway.plan import RequiredField
from gateway.supergraph import Supergraph


def entity_requirements(
    supergraph: Supergraph, type_name: str, field_name: str, source: str, target: str
) -> SelectionSetNode:
    """What `target`'s `_entities` needs to resolve the field: a key and its @requires."""
    key = choose_key(supergraph, type_name, source, target)
    join = supergraph.field_join(type_name, field_name, target)
    requires = join.requires.selections if join and join.requires else ()
    return SelectionSetNode(selections=(*key.selections, *requires))


def aliased(selection_set: SelectionSetNode, prefix: str) -> SelectionSetNode:
    """Give every field an internal alias, so requirements never clash with client keys."""
    selections = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = selection.selection_set
            selection = replace(
                selection,
                alias=NameNode(value=prefix + selection.name.value),
                selection_set=aliased(children, prefix) if children else None,
            )
        selections.append(selection)
    return SelectionSetNode(selections=tuple(selections))


def required_fields(selection_set: SelectionSetNode, prefix: str) -> tuple[RequiredField, ...]:
    return tuple(
        RequiredField(
            name=s.name.value,
            source_key=prefix + s.name.value,
            children=required_fields(s.selection_set, prefix) if s.selection_set else (),
        )
        for s in selection_set.selections
        if isinstance(s, FieldNode)
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
