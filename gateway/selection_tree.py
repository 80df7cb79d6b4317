"""The selection set of one subgraph query, built up by the planner and printed once."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    ArgumentNode,
    DirectiveNode,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
    print_ast,
)


def variables_in(value: ValueNode) -> Iterable[str]:
    if isinstance(value, VariableNode):
        yield value.name.value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from variables_in(item)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            yield from variables_in(object_field.value)


def print_arguments(arguments: Iterable[ArgumentNode]) -> str:
    printed = ", ".join(print_ast(argument) for argument in arguments)
    return f"({printed})" if printed else ""


def print_directives(directives: Iterable[DirectiveNode]) -> str:
    return "".join(f" {print_ast(directive)}" for directive in directives)


class SelectionTree:
    """Ordered, de-duplicated fields and inline fragments of one selection set.

    Entries with the same response key, arguments and directives are merged, so the
    planner can add the same field (say a key) many times and it is fetched once.
    """

    __slots__ = ("_entries", "variables")

    def __init__(self) -> None:
        self._entries: dict[str, SelectionTree | None] = {}
        self.variables: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self._entries)

    def add_field(
        self,
        response_key: str,
        field_name: str,
        arguments: tuple[ArgumentNode, ...] = (),
        directives: tuple[DirectiveNode, ...] = (),
        *,
        composite: bool = False,
    ) -> SelectionTree:
        """Add a field; returns the tree of its sub-selection (unused for leaf fields)."""
        alias = f"{response_key}: " if response_key != field_name else ""
        head = f"{alias}{field_name}{print_arguments(arguments)}{print_directives(directives)}"
        for argument in arguments:
            self.variables.update(variables_in(argument.value))
        self._note_directive_variables(directives)
        return self._child(head, composite)

    def add_fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> SelectionTree:
        """Add an inline fragment; returns the tree of its selections."""
        on = f" on {type_condition}" if type_condition else ""
        self._note_directive_variables(directives)
        return self._child(f"...{on}{print_directives(directives)}", composite=True)

    def all_variables(self) -> set[str]:
        found = set(self.variables)
        for child in self._entries.values():
            if child is not None:
                found |= child.all_variables()
        return found

    def print(self) -> str:
        parts = []
        for head, child in self._entries.items():
            if child is None:
                parts.append(head)
            elif child:
                parts.append(f"{head} {child.print()}")
            elif not head.startswith("..."):
                parts.append(f"{head} {{ __typename }}")
        return "{ " + " ".join(parts) + " }"

    def _note_directive_variables(self, directives: tuple[DirectiveNode, ...]) -> None:
        for directive in directives:
            for argument in directive.arguments or ():
                self.variables.update(variables_in(argument.value))

    def _child(self, head: str, composite: bool) -> SelectionTree:
        if head not in self._entries:
            self._entries[head] = SelectionTree() if composite else None
        child = self._entries[head]
        return child if child is not None else SelectionTree()
