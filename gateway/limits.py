"""Bounds on what one operation may ask: its text, its depth and how many fields."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

from gateway.operation import OperationError


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 12
    """Nested field levels (`{ me { id } }` is 2); introspection fields are not counted."""
    max_fields: int = 1000
    """Field selections in the operation, fragments expanded where they are spread."""
    max_bytes: int = 64 * 1024
    """Length of the query text in bytes."""


class LimitExceeded(OperationError):
    """The operation asks for more than the limits allow: refused before any fetch."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__([GraphQLError(message)], code)


def check_size(query: bytes, limits: QueryLimits) -> None:
    size = len(query)
    if size > limits.max_bytes:
        raise LimitExceeded(
            f"The query is {size} bytes long; this gateway accepts at most {limits.max_bytes}.",
            "QUERY_TOO_LARGE",
        )


def check_shape(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    limits: QueryLimits,
) -> None:
    """Depth and field count of a validated operation (its fragments are acyclic)."""
    fields = 0
    deepest = 0

    def walk(selections: SelectionSetNode, depth: int) -> None:
        nonlocal fields, deepest
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                fields += 1
                if fields > limits.max_fields:
                    raise LimitExceeded(
                        f"The operation selects more than {limits.max_fields} fields"
                        " (fragments counted where they are spread); ask for less.",
                        "QUERY_TOO_LARGE",
                    )
                deepest = max(deepest, depth + 1)
                if deepest > limits.max_depth:
                    raise LimitExceeded(
                        f"The operation nests fields more than {limits.max_depth} levels"
                        " deep; ask for less.",
                        "QUERY_TOO_DEEP",
                    )
                if selection.selection_set is not None:
                    walk(selection.selection_set, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    walk(fragment.selection_set, depth)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, depth)

    walk(selection_set, 0)
