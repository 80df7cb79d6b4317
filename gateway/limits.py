"""Bounds on what one operation may ask: its text, its depth, how many fields and what it
costs. Introspection fields count like any other: they are answered by the gateway
itself, from its own CPU."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

from gateway.operation import OperationError, PreparedOperation

FIELD_COST = 1
ROOT_FIELD_COST = 10
"""A root field of a query or subscription (each alias counted): a resolver of its own
on a subgraph, often a database query."""
MUTATION_COST = 100
"""A root mutation field: a change, run one after another, some of them guarded by
throttling (sign-in), which one request must not multiply."""


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 15
    """Nested field levels (`{ me { id } }` is 2); 15 lets the standard introspection
    query (GraphiQL's) through."""
    max_fields: int = 1000
    """Field selections in the operation, fragments expanded where they are spread."""
    max_bytes: int = 64 * 1024
    """Length of the query text in bytes."""
    max_cost: int = 2000
    """Each field costs FIELD_COST, each root field ROOT_FIELD_COST, each root mutation
    field MUTATION_COST instead."""


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


class _Measure:
    """Walks a validated operation (its fragments are acyclic), refusing as soon as it
    passes a limit."""

    def __init__(self, operation: PreparedOperation, limits: QueryLimits) -> None:
        self._operation = operation
        self._limits = limits
        self._root_cost = MUTATION_COST if operation.is_mutation else ROOT_FIELD_COST
        self.fields = 0
        self.cost = 0

    def walk(self, selections: SelectionSetNode, depth: int) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self._count(depth)
                if selection.selection_set is not None:
                    self.walk(selection.selection_set, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._operation.fragments.get(selection.name.value)
                if fragment is not None:
                    self.walk(fragment.selection_set, depth)
            elif isinstance(selection, InlineFragmentNode):
                self.walk(selection.selection_set, depth)

    def _count(self, depth: int) -> None:
        limits = self._limits
        self.fields += 1
        if self.fields > limits.max_fields:
            raise LimitExceeded(
                f"The operation selects more than {limits.max_fields} fields"
                " (fragments counted where they are spread); ask for less.",
                "QUERY_TOO_LARGE",
            )
        if depth + 1 > limits.max_depth:
            raise LimitExceeded(
                f"The operation nests fields more than {limits.max_depth} levels deep;"
                " ask for less.",
                "QUERY_TOO_DEEP",
            )
        self.cost += self._root_cost if depth == 0 else FIELD_COST
        if self.cost > limits.max_cost:
            raise LimitExceeded(
                f"The operation costs more than {limits.max_cost} (each field {FIELD_COST},"
                f" each root field {ROOT_FIELD_COST}, each mutation {MUTATION_COST});"
                " send fewer root fields or mutations in one request.",
                "QUERY_TOO_COSTLY",
            )


def check_shape(operation: PreparedOperation, limits: QueryLimits) -> None:
    """Depth, field count and cost of a validated operation, introspection included."""
    _Measure(operation, limits).walk(operation.operation.selection_set, 0)
