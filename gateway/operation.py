"""Parse and validate a client operation against the API schema."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    validate,
)


class OperationError(Exception):
    """The operation cannot be run; `errors` are what the client gets back."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


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
        raise OperationError([error]) from None
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
        raise OperationError([GraphQLError(message)])
    root_type = schema.get_root_type(operation.operation)
    if root_type is None or operation.operation == OperationType.SUBSCRIPTION:
        raise OperationError(
            [GraphQLError(f"The gateway does not run {operation.operation.value} operations.")]
        )
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return PreparedOperation(document, operation, fragments, root_type, _internal_prefix(query))
