"""The introspection part of an operation, which the gateway answers from the API schema."""

from __future__ import annotations

from dataclasses import replace

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
)

from gateway.operation import PreparedOperation

INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})


def _introspection_selections(
    selection_set: SelectionSetNode, operation: PreparedOperation
) -> tuple[SelectionNode, ...]:
    kept: list[SelectionNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in INTROSPECTION_ROOT_FIELDS:
                kept.append(selection)
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = operation.fragments[selection.name.value]
            nested = _introspection_selections(fragment.selection_set, operation)
            fragment_node = InlineFragmentNode(
                type_condition=fragment.type_condition,
                directives=selection.directives,
                selection_set=SelectionSetNode(selections=nested),
            )
        else:
            assert isinstance(selection, InlineFragmentNode)
            nested = _introspection_selections(selection.selection_set, operation)
            fragment_node = replace(selection, selection_set=SelectionSetNode(selections=nested))
        if nested:
            kept.append(fragment_node)
    return tuple(kept)


def introspection_document(operation: PreparedOperation) -> DocumentNode | None:
    """The operation cut down to its root `__schema`/`__type` fields, or None without any."""
    selections = _introspection_selections(operation.operation.selection_set, operation)
    if not selections:
        return None
    root = replace(operation.operation, selection_set=SelectionSetNode(selections=selections))
    return DocumentNode(definitions=(root, *operation.fragments.values()))
