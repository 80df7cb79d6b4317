"""Plan an operation into fetches over the subgraphs of a supergraph."""

from __future__ import annotations

from typing import NamedTuple

from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)

from gateway.introspection import introspection_document
from gateway.operation import PreparedOperation, RootField, conditions_of
from gateway.plan import FetchBuilder, Plan, ResponsePath
from gateway.requirements import aliased, choose_key, parse_field_set, required_fields
from gateway.selection_tree import SelectionTree
from gateway.supergraph import Supergraph

MAX_JUMP_DEPTH = 16


class PlanningError(Exception):
    """The supergraph gives no way to resolve part of the operation."""


class _Position(NamedTuple):
    """Where the planner is: in which fetch and subgraph, at which response position."""

    fetch: FetchBuilder
    subgraph: str
    path: ResponsePath
    conditions: tuple[DirectiveNode, ...]
    """@skip/@include of the fragments enclosing the current selections at this position."""


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
        stages: list[tuple[FetchBuilder, ...]] = []
        if self._operation.is_mutation:
            for root_field in root_fields:
                stages.append(self._plan_stage([root_field]))
        else:
            stages.append(self._plan_stage(root_fields))
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
            fetch = self._root_fetch(graphs[0])
            assert fetch.root is not None
            tree = fetch.root
            for conditions in wrappers:
                tree = tree.add_fragment(None, conditions)
            self._plan_field(_Position(fetch, graphs[0], (), ()), root_type, field_node, tree)
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

    def _plan_selection_set(
        self,
        position: _Position,
        parent_type: GraphQLCompositeType,
        selection_set: SelectionSetNode,
        tree: SelectionTree,
    ) -> set[int]:
        """Plan selections at one position; returns the fetches that provide their data."""
        providers: set[int] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                providers |= self._plan_field(position, parent_type, selection, tree)
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
            providers |= self._plan_fragment(
                position, parent_type, type_name, conditions_of(selection.directives), nested, tree
            )
        return providers

    def _plan_fragment(
        self,
        position: _Position,
        parent_type: GraphQLCompositeType,
        type_name: str | None,
        conditions: tuple[DirectiveNode, ...],
        selection_set: SelectionSetNode,
        tree: SelectionTree,
    ) -> set[int]:
        inner = position._replace(conditions=position.conditions + conditions)
        fragment_type = self._schema.get_type(type_name) if type_name else parent_type
        assert is_composite_type(fragment_type)
        if not is_abstract_type(parent_type) or fragment_type is parent_type:
            subtree = tree.add_fragment(None, conditions) if conditions else tree
            return self._plan_selection_set(inner, parent_type, selection_set, subtree)
        graph = position.subgraph
        if isinstance(fragment_type, GraphQLObjectType):
            if fragment_type.name not in self._supergraph.possible_types_in(
                parent_type.name, graph
            ):
                return set()
            subtree = tree.add_fragment(fragment_type.name, conditions)
            return self._plan_selection_set(inner, fragment_type, selection_set, subtree)
        if graph in self._supergraph.type_graphs(fragment_type.name):
            subtree = tree.add_fragment(fragment_type.name, conditions)
            subtree.add_field(f"{self._prefix}__typename", "__typename")
            return self._plan_selection_set(inner, fragment_type, selection_set, subtree)
        providers: set[int] = set()
        wanted = {t.name for t in self._schema.get_possible_types(fragment_type)}
        for object_name in self._supergraph.possible_types_in(parent_type.name, graph):
            if object_name in wanted:
                providers |= self._plan_fragment(
                    position, parent_type, object_name, conditions, selection_set, tree
                )
        return providers

    def _plan_field(
        self,
        position: _Position,
        parent_type: GraphQLCompositeType,
        field_node: FieldNode,
        tree: SelectionTree,
    ) -> set[int]:
        name = field_node.name.value
        if name == "__typename":
            return set()
        graphs = self._supergraph.field_graphs(parent_type.name, name)
        if position.subgraph in graphs:
            return self._plan_local_field(position, parent_type, field_node, tree)
        if isinstance(parent_type, GraphQLObjectType):
            return self._plan_jump(position, parent_type, field_node, tree)
        providers: set[int] = set()
        for object_name in self._supergraph.possible_types_in(parent_type.name, position.subgraph):
            object_type = self._schema.get_type(object_name)
            assert isinstance(object_type, GraphQLObjectType)
            subtree = tree.add_fragment(object_name)
            providers |= self._plan_field(position, object_type, field_node, subtree)
        return providers

    def _plan_local_field(
        self,
        position: _Position,
        parent_type: GraphQLCompositeType,
        field_node: FieldNode,
        tree: SelectionTree,
    ) -> set[int]:
        name = field_node.name.value
        field_type = get_named_type(parent_type.fields[name].type)  # type: ignore[union-attr]
        response_key = field_node.alias.value if field_node.alias else name
        composite = is_composite_type(field_type)
        child = tree.add_field(
            response_key,
            name,
            tuple(field_node.arguments or ()),
            conditions_of(field_node.directives),
            composite=composite,
        )
        providers = {position.fetch.id}
        if composite and field_node.selection_set:
            assert is_composite_type(field_type)
            if is_abstract_type(field_type):
                child.add_field(f"{self._prefix}__typename", "__typename")
            inner = _Position(position.fetch, position.subgraph, (*position.path, response_key), ())
            providers |= self._plan_selection_set(
                inner,
                field_type,
                field_node.selection_set,
                child,
            )
        return providers

    def _plan_jump(
        self,
        position: _Position,
        parent_type: GraphQLObjectType,
        field_node: FieldNode,
        tree: SelectionTree,
    ) -> set[int]:
        """Fetch a field of an entity from another subgraph, through `_entities`."""
        type_name, name = parent_type.name, field_node.name.value
        targets = [
            graph
            for graph in self._supergraph.field_graphs(type_name, name)
            if self._supergraph.resolvable_keys(type_name, graph)
        ]
        if not targets:
            raise PlanningError(
                f"No subgraph can resolve {type_name}.{name} for entities from "
                f"subgraph '{position.subgraph}'"
            )
        if self._jump_depth >= MAX_JUMP_DEPTH:
            raise PlanningError(f"Cannot plan the requirements of {type_name}.{name}")
        target = targets[0]
        field_set = choose_key(self._supergraph, type_name, position.subgraph, target)
        join = self._supergraph.field_join(type_name, name, target)
        if join and join.requires:
            field_set += f" {join.requires}"
        required = aliased(parse_field_set(field_set), self._prefix)
        tree.add_field(f"{self._prefix}__typename", "__typename")
        self._jump_depth += 1
        try:
            providers = self._plan_selection_set(position, parent_type, required, tree)
        finally:
            self._jump_depth -= 1
        providers.add(position.fetch.id)
        fetch = self._entity_fetch(target, frozenset(providers))
        entry = fetch.entry(position.path, type_name, required_fields(required, self._prefix))
        selection = entry.selection
        if position.conditions:
            selection = selection.add_fragment(None, position.conditions)
        inner = _Position(fetch, target, position.path, ())
        return {fetch.id} | self._plan_field(inner, parent_type, field_node, selection)


def plan_operation(supergraph: Supergraph, operation: PreparedOperation) -> Plan:
    return Planner(supergraph, operation).plan()
