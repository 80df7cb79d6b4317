"""Where a value sits in a request: `Operation` finds the argument or input field that
holds a refused value, in the variables or in the document's literals, so a refusal can
name it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    BREAK,
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    Node,
    ObjectFieldNode,
    StringValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)


@dataclass(frozen=True)
class Operation:
    """A request's document and raw variables, to find where a value sits in them: by
    the name of the argument or input field that holds it."""

    document: DocumentNode | None
    variables: Mapping[str, object]

    def where(self, refused: Callable[[object], bool], *, in_literals: bool = True) -> str | None:
        """The argument or input field of the first string `refused` picks out, in a
        variable's value or (unless told there is none to find) a literal."""
        for variable, value in self.variables.items():
            path = _path_to(value, refused)
            if path is not None:
                return self._named(path, variable)
        if not in_literals:
            return None
        return self._holding(lambda node: isinstance(node, StringValueNode) and refused(node.value))

    def name_of(self, error: GraphQLError, value: object) -> str | None:
        """The argument or input field `value`, refused by a scalar, was given for: the
        literal the error points at, or the part of a variable's value."""
        node = error.nodes[0] if error.nodes else None
        if isinstance(node, VariableDefinitionNode):
            variable = node.variable.name.value
            given = self.variables.get(variable)
            path = _path_to(given, lambda v: v is value) or _path_to(given, lambda v: v == value)
            return self._named(path or [], variable)
        return None if node is None else self._holding(lambda found: _same(found, node))

    def _named(self, path: list[str | int], variable: str) -> str:
        keys = [key for key in path if isinstance(key, str)]
        if keys:
            return keys[-1]
        used = self._holding(lambda n: isinstance(n, VariableNode) and n.name.value == variable)
        return used or variable

    def _holding(self, picks: Callable[[Node], bool]) -> str | None:
        """The innermost argument or input field around the first node `picks` chooses."""
        if self.document is None:
            return None
        finder = _Finder(picks)
        visit(self.document, finder)
        return finder.found


class _Finder(Visitor):
    def __init__(self, picks: Callable[[Node], bool]) -> None:
        super().__init__()
        self.picks = picks
        self.found: str | None = None

    def enter(self, node: Node, _key: object, parent: Any, _path: object, above: Any) -> object:
        if not self.picks(node):
            return None
        names = [
            n.name.value for n in [*above, parent] if isinstance(n, ArgumentNode | ObjectFieldNode)
        ]
        if not names:  # a variable's own definition: look on
            return None
        self.found = names[-1]
        return BREAK


def _same(found: Node, node: Node) -> bool:
    """The same node, or one at the same place of the same text (cached documents)."""
    if found is node:
        return True
    if type(found) is not type(node) or found.loc is None or node.loc is None:
        return False
    return (found.loc.start, found.loc.end) == (node.loc.start, node.loc.end)


def _path_to(
    value: object, picks: Callable[[object], bool], depth: int = 32
) -> list[str | int] | None:
    """The keys and indexes leading to the first part of `value` that `picks` chooses.
    No input type nests deeper than `depth`: coercion refuses what lies below."""
    if picks(value):
        return []
    items: Any = ()
    if isinstance(value, dict) and depth:
        items = value.items()
    elif isinstance(value, list) and depth:
        items = enumerate(value)
    for key, child in items:
        path = _path_to(child, picks, depth - 1)
        if path is not None:
            return [key, *path]
    return None
