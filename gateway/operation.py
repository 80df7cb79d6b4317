"""Parse and validate a client operation against the API schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
    parse,
    validate,
)

CONDITION_DIRECTIVES = frozenset({"skip", "include"})

RootField = tuple[FieldNode, tuple[tuple[DirectiveNode, ...], ...]]
"""A root field and the @skip/@include of each fragment around it."""


def conditions_of(directives: tuple[DirectiveNode, ...] | None) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives or () if d.name.value in CONDITION_DIRECTIVES)


class OperationError(Exception):
    """The operation cannot be run; `errors` are what the client gets back (over HTTP with
    `status`), each with `code` in its extensions."""

    def __init__(
        self, errors: list[GraphQLError], code: str = "GRAPHQL_VALIDATION_FAILED", status: int = 400
    ) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors
        self.code = code
        self.status = status

    def formatted(self) -> list[dict[str, Any]]:
        formatted = []
        for error in self.errors:
            entry: dict[str, Any] = dict(error.formatted)
            entry["extensions"] = {"code": self.code, **(entry.get("extensions") or {})}
            formatted.append(entry)
        return formatted


@dataclass(frozen=True)
class PreparedOperation:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root_type: GraphQLObjectType
    internal_prefix: str
    """Prefix of the aliases the gateway adds for itself; no client name starts with it."""

    @property
    def is_mutation(self) -> bool:
        return self.operation.operation == OperationType.MUTATION

    @property
    def is_subscription(self) -> bool:
        return self.operation.operation == OperationType.SUBSCRIPTION

    def root_fields(self) -> list[RootField]:
        """Root fields (not introspection) in document order, fragments flattened."""
        return self._root_fields(self.operation.selection_set, ())

    def _root_fields(
        self, selection_set: SelectionSetNode, wrappers: tuple[tuple[DirectiveNode, ...], ...]
    ) -> list[RootField]:
        found: list[RootField] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if not selection.name.value.startswith("__"):
                    found.append((selection, wrappers))
                continue
            if isinstance(selection, FragmentSpreadNode):
                nested = self.fragments[selection.name.value].selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                nested = selection.selection_set
            conditions = conditions_of(selection.directives)
            found += self._root_fields(nested, (*wrappers, conditions) if conditions else wrappers)
        return found


def _internal_prefix(query: str) -> str:
    prefix, attempt = "_cb_", 0
    while prefix in query:
        attempt += 1
        prefix = f"_cb{attempt}_"
    return prefix


def prepare_operation(
    schema: GraphQLSchema, query: str, operation_name: str | None
) -> PreparedOperation:
    try:
        document = parse(query)
    except GraphQLError as error:
        raise OperationError([error], "GRAPHQL_PARSE_FAILED") from None
    errors = validate(schema, document)
    if errors:
        raise OperationError(list(errors))
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        message = (
            f"Unknown operation named '{operation_name}'."
            if operation_name
            else "Must provide operation name if query contains multiple operations."
        )
        raise OperationError([GraphQLError(message)], "OPERATION_RESOLUTION_FAILURE")
    root_type = schema.get_root_type(operation.operation)
    if root_type is None:
        raise OperationError(
            [GraphQLError(f"The gateway does not run {operation.operation.value} operations.")]
        )
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return PreparedOperation(document, operation, fragments, root_type, _internal_prefix(query))
