"""Shape the fetched data into the response the operation asked for.

The data merged from all fetches is projected through the client's selection sets:
aliases and `__typename` are answered here, `@skip`/`@include` are applied, and a null
in a non-null position nulls its nearest nullable ancestor. As in Apollo Gateway, such
value-completion problems are reported under `extensions.valueCompletion` when the
subgraphs reported no errors of their own.
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionSetNode,
    VariableNode,
    is_abstract_type,
    is_composite_type,
)

from gateway.api_schema import RESTRICTED_ENUMS
from gateway.operation import PreparedOperation

Path = list[str | int]
Completed = tuple[Any, bool, bool]
"""(value, the parent must become null, an error was already recorded for it)"""


class ResponseShaper:
    """Projects fetched data for one request (variables decide @skip/@include)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: PreparedOperation,
        variables: dict[str, Any],
        introspection: dict[str, Any] | None = None,
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._variables = variables
        self._introspection = introspection or {}
        self._typename_key = f"{operation.internal_prefix}__typename"
        self._collected: dict[tuple[str, tuple[int, ...]], dict[str, list[FieldNode]]] = {}
        self.errors: list[dict[str, Any]] = []
        self._restricted_enums: frozenset[str] = schema.extensions.get(
            RESTRICTED_ENUMS, frozenset()
        )
        self.field_errors: list[dict[str, Any]] = []
        """Values the API schema cannot represent (an `@inaccessible` enum value): field
        errors, as the spec's result coercion says."""

    def respond(self, data: dict[str, Any], errors: list[dict[str, Any]]) -> dict[str, Any]:
        """The response body: the errors reported so far, the shaped data and, only when no
        subgraph reported an error, the value-completion problems (as Apollo Gateway)."""
        self.errors = []
        self.field_errors = []
        shaped = self.shape(data)
        errors = errors + self.field_errors
        body: dict[str, Any] = {"errors": errors} if errors else {}
        body["data"] = shaped
        if self.errors and not errors:
            body["extensions"] = {"valueCompletion": self.errors}
        return body

    def shape(self, data: dict[str, Any]) -> dict[str, Any] | None:
        root = self._schema.get_type(self._operation.root_type.name)
        assert isinstance(root, GraphQLObjectType)
        shaped, bubbled = self._object(root, (self._operation.operation.selection_set,), data, [])
        return None if bubbled else shaped

    def _object(
        self,
        object_type: GraphQLObjectType,
        selection_sets: tuple[SelectionSetNode, ...],
        value: dict[str, Any],
        path: Path,
    ) -> tuple[dict[str, Any], bool]:
        shaped: dict[str, Any] = {}
        for response_key, nodes in self._collect(object_type, selection_sets).items():
            name = nodes[0].name.value
            if name == "__typename":
                shaped[response_key] = object_type.name
                continue
            if name in ("__schema", "__type") and not path:
                shaped[response_key] = self._introspection.get(response_key)
                continue
            field_type = object_type.fields[name].type
            path.append(response_key)
            completed, bubble, _ = self._complete(
                field_type, value.get(response_key), nodes, path, object_type.name
            )
            path.pop()
            if bubble:
                return shaped, True
            shaped[response_key] = completed
        return shaped, False

    def _complete(
        self,
        field_type: GraphQLOutputType,
        value: Any,
        nodes: list[FieldNode],
        path: Path,
        parent_name: str,
    ) -> Completed:
        if isinstance(field_type, GraphQLNonNull):
            completed, _, has_errors = self._complete(
                field_type.of_type, value, nodes, path, parent_name
            )
            if completed is None:
                if not has_errors:
                    self._error(_null_message(path, field_type.of_type, parent_name), path)
                return None, True, True
            return completed, False, False
        if value is None:
            return None, False, False
        if isinstance(field_type, GraphQLList):
            if not isinstance(value, list):
                self._error(f"Invalid non-list value for field {parent_name}.{path[-1]}.", path)
                return None, False, True
            items, nullify, has_errors = [], False, False
            for index, item in enumerate(value):
                path.append(index)
                completed, bubble, item_errors = self._complete(
                    field_type.of_type, item, nodes, path, parent_name
                )
                path.pop()
                items.append(completed)
                nullify = nullify or bubble
                has_errors = has_errors or item_errors
            return (None if nullify else items), False, has_errors
        if is_composite_type(field_type):
            runtime_type = self._runtime_type(field_type, value)
            if runtime_type is None:
                self._error(f"Invalid __typename found for object at {path[-1]}.", path)
                return None, False, True
            selection_sets = tuple(n.selection_set for n in nodes if n.selection_set)
            shaped, bubbled = self._object(runtime_type, selection_sets, value, path)
            return (None if bubbled else shaped), False, bubbled
        if (
            self._restricted_enums
            and isinstance(field_type, GraphQLEnumType)
            and field_type.name in self._restricted_enums
            and value not in field_type.values
        ):
            message = (
                f"Enum {field_type.name!r} cannot represent value: {orjson.dumps(value).decode()}"
            )
            self.field_errors.append({"message": message, "path": list(path)})
            return None, False, True
        return value, False, False

    def _runtime_type(self, field_type: Any, value: Any) -> GraphQLObjectType | None:
        """The object's type; an interface for an object from an `@interfaceObject`
        subgraph when nothing needed its own type (the interface's fields are shaped)."""
        if not isinstance(value, dict):
            return None
        if not is_abstract_type(field_type):
            return field_type
        typename = value.get(self._typename_key)
        if typename is None and isinstance(field_type, GraphQLInterfaceType):
            return field_type  # type: ignore[return-value]
        runtime_type = self._schema.get_type(typename or "")
        return runtime_type if isinstance(runtime_type, GraphQLObjectType) else None

    def _error(self, message: str, path: Path) -> None:
        self.errors.append({"message": message, "path": list(path)})

    def _collect(
        self, object_type: GraphQLObjectType, selection_sets: tuple[SelectionSetNode, ...]
    ) -> dict[str, list[FieldNode]]:
        cache_key = (object_type.name, tuple(id(s) for s in selection_sets))
        fields = self._collected.get(cache_key)
        if fields is None:
            fields = {}
            visited: set[str] = set()
            for selection_set in selection_sets:
                self._collect_into(object_type, selection_set, fields, visited)
            self._collected[cache_key] = fields
        return fields

    def _collect_into(
        self,
        object_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection.directives):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, object_type):
                    self._collect_into(object_type, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in visited:
                visited.add(selection.name.value)
                fragment = self._operation.fragments[selection.name.value]
                if self._applies(fragment.type_condition, object_type):
                    self._collect_into(object_type, fragment.selection_set, fields, visited)

    def _applies(self, condition: NamedTypeNode | None, object_type: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == object_type.name:
            return True
        condition_type = self._schema.get_type(condition.name.value)
        return is_abstract_type(condition_type) and self._schema.is_sub_type(
            condition_type,
            object_type,
        )

    def _included(self, directives: tuple[DirectiveNode, ...] | None) -> bool:
        for directive in directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            condition = directive.arguments[0].value if directive.arguments else None
            if isinstance(condition, VariableNode):
                flag = bool(self._variables.get(condition.name.value))
            else:
                flag = isinstance(condition, BooleanValueNode) and condition.value
            if flag == (name == "skip"):
                return False
        return True


def _null_message(path: Path, item_type: Any, parent_name: str) -> str:
    last = path[-1]
    if isinstance(last, int):
        return (
            f"Cannot return null for non-nullable array element of type {item_type} "
            f"at index {last}."
        )
    return f"Cannot return null for non-nullable field {parent_name}.{last}."
