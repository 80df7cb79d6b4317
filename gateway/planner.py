"""Plan an operation into fetches over the subgraphs of a supergraph."""

from __future__ import annotations

from typing import NamedTuple

from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLCompositeType,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.fetch_builder import FetchBuilder
from gateway.introspection import introspection_document
from gateway.operation import PreparedOperation, RootField, conditions_of
from gateway.plan import Plan, ResponsePath
from gateway.requirements import aliased, entity_requirements, required_fields
from gateway.selection_tree import SelectionTree
from gateway.supergraph import Supergraph

MAX_JUMP_DEPTH = 16


class PlanningError(Exception):
    """The supergraph gives no way to resolve part of the operation."""


def preferred_subgraph(graphs: list[str]) -> str:
    """Of several subgraphs that can serve a field, the one asked: the first in the
    order the supergraph lists them.

    Why the first will do: subgraphs that resolve the same field (`@shareable`, keys)
    promise the same answer, so the choice changes what a request costs, never what the
    client gets. The choices that save fetches are made before this one: a field the
    current subgraph can serve stays in its fetch (no jump), and root fields of one
    subgraph share one fetch. Among what is left, a fixed order gives the same plan for
    the same operation on every replica and after every restart (fetches that can be
    read in logs and asserted in tests), where a search over the candidates' costs, as
    Apollo's query planner makes, would buy little with so few shared fields.
    """
    return graphs[0]


class _At(NamedTuple):
    """Where the planner is: the fetch it adds to, the response position, the type of the
    object there, and the selection tree (of that fetch) its fields go into."""

    fetch: FetchBuilder
    path: ResponsePath
    parent_type: GraphQLCompositeType
    tree: SelectionTree
    conditions: tuple[DirectiveNode, ...] = ()
    """@skip/@include of the fragments enclosing the current selections at this position."""

    @property
    def subgraph(self) -> str:
        return self.fetch.subgraph


class Planner:
    """Builds the plan of one operation. Use `plan_operation`."""

    def __init__(self, supergraph: Supergraph, operation: PreparedOperation) -> None:
        self._supergraph = supergraph
        self._schema = supergraph.schema
        self._operation = operation
        self._prefix = operation.internal_prefix
        self._fetches: list[FetchBuilder] = []
        self._root_fetches: dict[str, FetchBuilder] = {}
        self._entity_fetches: dict[tuple[str, frozenset[int]], FetchBuilder] = {}
        self._jump_depth = 0

    def plan(self) -> Plan:
        root_fields = self._operation.root_fields()
        if self._operation.is_mutation:
            stages = [self._plan_stage([root_field]) for root_field in root_fields]
        else:
            stages = [self._plan_stage(root_fields)]
        return Plan(
            operation=self._operation,
            stages=tuple(
                tuple(builder.build(self._operation) for builder in stage)
                for stage in stages
                if stage
            ),
            introspection=introspection_document(self._operation),
        )

    def _plan_stage(self, root_fields: list[RootField]) -> tuple[FetchBuilder, ...]:
        first_fetch = len(self._fetches)
        self._root_fetches.clear()
        self._entity_fetches.clear()
        root_type = self._schema.get_type(self._operation.root_type.name)
        assert isinstance(root_type, GraphQLObjectType)
        for field_node, wrappers in root_fields:
            graphs = self._supergraph.field_graphs(root_type.name, field_node.name.value)
            if not graphs:
                raise PlanningError(f"No subgraph resolves {root_type.name}.{field_node.name}")
            fetch = self._root_fetch(preferred_subgraph(graphs))
            assert fetch.root is not None
            tree = fetch.root
            for conditions in wrappers:
                tree = tree.add_fragment(None, conditions)
            self._plan_field(_At(fetch, (), root_type, tree), field_node)
        return tuple(self._fetches[first_fetch:])

    def _root_fetch(self, subgraph: str) -> FetchBuilder:
        if subgraph not in self._root_fetches:
            fetch = FetchBuilder(len(self._fetches), subgraph, frozenset(), root=SelectionTree())
            self._fetches.append(fetch)
            self._root_fetches[subgraph] = fetch
        return self._root_fetches[subgraph]

    def _entity_fetch(self, subgraph: str, depends_on: frozenset[int]) -> FetchBuilder:
        key = (subgraph, depends_on)
        if key not in self._entity_fetches:
            fetch = FetchBuilder(len(self._fetches), subgraph, depends_on)
            self._fetches.append(fetch)
            self._entity_fetches[key] = fetch
        return self._entity_fetches[key]

    def _plan_selections(self, at: _At, selection_set: SelectionSetNode) -> set[int]:
        """Plan selections at one position; returns the fetches that provide their data."""
        providers: set[int] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                providers |= self._plan_field(at, selection)
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self._operation.fragments[selection.name.value]
                type_name: str | None = fragment.type_condition.name.value
                nested = fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition = selection.type_condition
                type_name = condition.name.value if condition else None
                nested = selection.selection_set
            conditions = conditions_of(selection.directives)
            providers |= self._plan_fragment(at, type_name, conditions, nested)
        return providers

    def _plan_fragment(
        self,
        at: _At,
        type_name: str | None,
        conditions: tuple[DirectiveNode, ...],
        selection_set: SelectionSetNode,
    ) -> set[int]:
        parent_type = at.parent_type
        fragment_type = self._schema.get_type(type_name) if type_name else parent_type
        assert is_composite_type(fragment_type)
        inner = at._replace(conditions=at.conditions + conditions)
        if not is_abstract_type(parent_type) or fragment_type is parent_type:
            tree = at.tree.add_fragment(None, conditions) if conditions else at.tree
            return self._plan_selections(inner._replace(tree=tree), selection_set)
        if isinstance(fragment_type, GraphQLObjectType):
            if fragment_type.name not in self._possible_types(at):
                return set()
            tree = at.tree.add_fragment(fragment_type.name, conditions)
        elif at.subgraph in self._supergraph.type_graphs(fragment_type.name):
            tree = at.tree.add_fragment(fragment_type.name, conditions)
            tree.add_field(f"{self._prefix}__typename", "__typename")
        else:
            return self._plan_fragment_per_object(at, fragment_type, conditions, selection_set)
        return self._plan_selections(
            inner._replace(parent_type=fragment_type, tree=tree), selection_set
        )

    def _plan_fragment_per_object(
        self,
        at: _At,
        fragment_type: GraphQLAbstractType,
        conditions: tuple[DirectiveNode, ...],
        selection_set: SelectionSetNode,
    ) -> set[int]:
        """An abstract type the subgraph does not know: one fragment per object type."""
        providers: set[int] = set()
        wanted = {t.name for t in self._schema.get_possible_types(fragment_type)}
        for object_name in self._possible_types(at):
            if object_name in wanted:
                providers |= self._plan_fragment(at, object_name, conditions, selection_set)
        return providers

    def _possible_types(self, at: _At) -> list[str]:
        return self._supergraph.possible_types_in(at.parent_type.name, at.subgraph)

    def _plan_field(self, at: _At, field_node: FieldNode) -> set[int]:
        name = field_node.name.value
        if name == "__typename":
            return set()
        if at.subgraph in self._supergraph.field_graphs(at.parent_type.name, name):
            return self._plan_local_field(at, field_node)
        if isinstance(at.parent_type, GraphQLObjectType):
            return self._plan_jump(at, at.parent_type, field_node)
        providers: set[int] = set()
        for object_name in self._possible_types(at):
            object_type = self._schema.get_type(object_name)
            assert isinstance(object_type, GraphQLObjectType)
            inner = at._replace(parent_type=object_type, tree=at.tree.add_fragment(object_name))
            providers |= self._plan_field(inner, field_node)
        return providers

    def _plan_local_field(self, at: _At, field_node: FieldNode) -> set[int]:
        name = field_node.name.value
        field_type = get_named_type(at.parent_type.fields[name].type)  # type: ignore[union-attr]
        response_key = field_node.alias.value if field_node.alias else name
        composite = is_composite_type(field_type)
        child = at.tree.add_field(
            response_key,
            name,
            tuple(field_node.arguments or ()),
            conditions_of(field_node.directives),
            composite=composite,
        )
        providers = {at.fetch.id}
        if composite and field_node.selection_set:
            assert is_composite_type(field_type)
            if is_abstract_type(field_type):
                child.add_field(f"{self._prefix}__typename", "__typename")
            inner = _At(at.fetch, (*at.path, response_key), field_type, child)
            providers |= self._plan_selections(inner, field_node.selection_set)
        return providers

    def _plan_jump(
        self, at: _At, parent_type: GraphQLObjectType, field_node: FieldNode
    ) -> set[int]:
        """Fetch a field of an entity from another subgraph, through `_entities`."""
        type_name, name = parent_type.name, field_node.name.value
        target = self._jump_target(at, type_name, name)
        required = aliased(
            entity_requirements(self._supergraph, type_name, name, at.subgraph, target),
            self._prefix,
        )
        at.tree.add_field(f"{self._prefix}__typename", "__typename")
        providers = self._plan_requirements(at, required, f"{type_name}.{name}")
        fetch = self._entity_fetch(target, frozenset(providers | {at.fetch.id}))
        entry = fetch.entry(at.path, type_name, required_fields(required, self._prefix))
        selection = entry.selection
        if at.conditions:
            selection = selection.add_fragment(None, at.conditions)
        return {fetch.id} | self._plan_field(
            _At(fetch, at.path, parent_type, selection), field_node
        )

    def _jump_target(self, at: _At, type_name: str, name: str) -> str:
        targets = [
            graph
            for graph in self._supergraph.field_graphs(type_name, name)
            if self._supergraph.resolvable_keys(type_name, graph)
        ]
        if not targets:
            raise PlanningError(
                f"No subgraph can resolve {type_name}.{name} for entities from "
                f"subgraph '{at.subgraph}'"
            )
        return preferred_subgraph(targets)

    def _plan_requirements(self, at: _At, required: SelectionSetNode, coordinate: str) -> set[int]:
        """Plan the key and @requires fields where the jump starts; they may jump too."""
        if self._jump_depth >= MAX_JUMP_DEPTH:
            raise PlanningError(f"Cannot plan the requirements of {coordinate}")
        self._jump_depth += 1
        try:
            return self._plan_selections(at, required)
        finally:
            self._jump_depth -= 1


def plan_operation(supergraph: Supergraph, operation: PreparedOperation) -> Plan:
    return Planner(supergraph, operation).plan()
