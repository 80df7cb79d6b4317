"""The introspection part of an operation, which the gateway answers from the API schema."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import replace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    execute_sync,
)

from gateway.operation import PreparedOperation

Answer = tuple[dict[str, Any], list[dict[str, Any]]]
"""The data of the introspection fields and their errors."""

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


class IntrospectionAnswers:
    """Answers to introspection documents. A full introspection takes tens of
    milliseconds of CPU, too long to hold the event loop: each is computed in a worker
    thread, once per document and variables, and remembered (the least recently used
    dropped past `size`); concurrent asks for the same wait for the same answer."""

    def __init__(self, schema: GraphQLSchema, size: int = 64) -> None:
        self._schema = schema
        self._size = size
        self._answers: OrderedDict[tuple[int, bytes], tuple[DocumentNode, asyncio.Task[Answer]]]
        self._answers = OrderedDict()

    async def answer(self, document: DocumentNode, variables: dict[str, Any] | None) -> Answer:
        # The entry holds the document, so its id() cannot be reused while the entry lives.
        key = (id(document), orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS))
        found = self._answers.get(key)
        if found is None or found[0] is not document:
            task = asyncio.create_task(asyncio.to_thread(self._execute, document, variables))
            found = self._answers[key] = (document, task)
            if len(self._answers) > self._size:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(key)
        try:
            return await asyncio.shield(found[1])
        except Exception:
            self._answers.pop(key, None)
            raise

    def _execute(self, document: DocumentNode, variables: dict[str, Any] | None) -> Answer:
        result = execute_sync(self._schema, document, None, None, variables)
        return result.data or {}, [dict(error.formatted) for error in result.errors or ()]
