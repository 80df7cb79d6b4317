"""Plan an operation into fetches over the subgraphs of a supergraph.

The planner walks the operation once, at each position knowing the fetch it adds to
(one subgraph), the type there and what that subgraph can serve there: its own fields
(the join metadata's `join__field`, overrides, progressive labels off), fields a parent
`@provides`, and, for abstract types, only the members and implementations it has
(`join__unionMember`, `join__implements`). What the subgraph cannot serve is reached
by a jump: `_entities` of another subgraph through a key of the entity (or of an entity
interface, `@interfaceObject` included), or, below a value type, a jump from the nearest
entity (or the root) above it whose fields are replayed in the other subgraph. See
gateway/README.md, "How it plans".
"""

from __future__ import annotations

from typing import NamedTuple

from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
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
from gateway.requirements import direct_key, entity_requirements, required_fields
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
    current subgraph can serve stays in its fetch (no jump), a root field goes to a
    subgraph that serves its selection's fields, and root fields of one subgraph share
    one fetch. Among what is left, a fixed order gives the same plan for the same
    operation on every replica and after every restart.
    """
    return graphs[0]


class _Step(NamedTuple):
    """One step below an anchor: a field (`response_key` set) or a fragment (`name` its
    type condition, or empty), replayed when the anchor jumps to another subgraph."""

    response_key: str | None
    name: str
    arguments: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    abstract: bool = False


class _Anchor(NamedTuple):
    """The nearest position above that another subgraph can be asked from: an entity
    (by its key) or the query's root; `steps` lead from there to the current position."""

    at: _At
    steps: tuple[_Step, ...]


class _At(NamedTuple):
    """Where the planner is: the fetch it adds to, the response position, the type of the
    object there, and the selection tree (of that fetch) its fields go into."""

    fetch: FetchBuilder
    path: ResponsePath
    parent_type: GraphQLCompositeType
    tree: SelectionTree
    conditions: tuple[DirectiveNode, ...] = ()
    """@skip/@include of the fragments enclosing the current selections at this position."""
    provided: SelectionSetNode | None = None
    """What a `@provides` above promises this subgraph serves here."""
    anchor: _Anchor | None = None
    abstract_context: str | None = None
    """The abstract type this object position was narrowed from (a type condition)."""
    required_for: str | None = None
    """The field whose `@requires` this `_entities` entry's representations carry."""

    @property
    def subgraph(self) -> str:
        return self.fetch.subgraph


def _provided_field(
    provided: SelectionSetNode, supergraph: Supergraph, type_name: str, name: str
) -> FieldNode | None:
    """The field in a `@provides` selection that applies to `type_name`, if any."""
    for selection in provided.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == name:
                return selection
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            if condition is not None and condition.name.value != type_name:
                condition_type = supergraph.schema.get_type(condition.name.value)
                object_type = supergraph.schema.get_type(type_name)
                if not (
                    is_abstract_type(condition_type)
                    and isinstance(object_type, GraphQLObjectType | GraphQLInterfaceType)
                    and supergraph.schema.is_sub_type(condition_type, object_type)
                ):
                    continue
            found = _provided_field(selection.selection_set, supergraph, type_name, name)
            if found is not None:
                return found
    return None


class Planner:
    """Builds the plan of one operation. Use `plan_operation`."""

    def __init__(self, supergraph: Supergraph, operation: PreparedOperation) -> None:
        self._supergraph = supergraph
        self._schema = supergraph.schema
        self._operation = operation
        self._prefix = operation.internal_prefix
        self._typename = f"{operation.internal_prefix}__typename"
        self._fetches: list[FetchBuilder] = []
        self._root_fetches: dict[str, FetchBuilder] = {}
        self._entity_fetches: dict[tuple[str, frozenset[int]], FetchBuilder] = {}
        self._jump_depth = 0
        self._client_keys: dict[tuple[int, ResponsePath], dict[str, set[tuple[str, bool]]]] = {}
        """The client's response keys at a position of a fetch: (field, has arguments)."""
        self._jumped: dict[tuple[int, ResponsePath], set[str]] = {}
        """Subgraphs jumped to (or that must be) from a position of a fetch: of several
        that serve a field there, one of these costs no extra fetch."""

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
            fetch = self._root_fetch(self._root_subgraph(root_type, field_node, graphs))
            assert fetch.root is not None
            at = _At(fetch, (), root_type, fetch.root)
            steps = tuple(_Step(None, "", (), conditions) for conditions in wrappers)
            anchor = None if self._operation.is_mutation else _Anchor(at, steps)
            tree = fetch.root
            for conditions in wrappers:
                tree = tree.add_fragment(None, conditions)
            self._plan_field(at._replace(tree=tree, anchor=anchor), field_node)
        return tuple(self._fetches[first_fetch:])

    def _root_subgraph(
        self, root_type: GraphQLObjectType, field_node: FieldNode, graphs: list[str]
    ) -> str:
        """A subgraph that serves the root field's own selection, if one does (for an
        abstract type, in every object type it returns there)."""
        if len(graphs) > 1 and field_node.selection_set:
            field_type = get_named_type(root_type.fields[field_node.name.value].type)
            names = [
                s.name.value
                for s in field_node.selection_set.selections
                if isinstance(s, FieldNode) and s.name.value != "__typename"
            ]
            for graph in graphs:
                types = [field_type.name]
                if is_abstract_type(field_type):
                    types += self._supergraph.possible_types_in(field_type.name, graph)
                if all(self._serves(t, name, graph) for t in types for name in names):
                    return graph
        return preferred_subgraph(graphs)

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

    # What a subgraph serves

    def _serves(self, type_name: str, name: str, graph: str) -> bool:
        """`graph` resolves the field in its own fetch (a field with `@requires` only
        through `_entities`, which carry what it requires)."""
        return graph in self._supergraph.field_graphs(
            type_name, name
        ) and not self._supergraph.requires(type_name, name, graph)

    def _is_local(self, at: _At, name: str) -> bool:
        parent = at.parent_type
        if at.provided is not None and _provided_field(
            at.provided, self._supergraph, parent.name, name
        ):
            return True
        if name == at.required_for:
            return at.subgraph in self._supergraph.field_graphs(parent.name, name)
        if not self._serves(parent.name, name, at.subgraph):
            return False
        if is_abstract_type(parent) and not self._is_interface_object(at):
            return all(
                self._serves(object_name, name, at.subgraph)
                for object_name in self._possible_types(at)
            )
        return True

    def _is_interface_object(self, at: _At) -> bool:
        return isinstance(at.parent_type, GraphQLInterfaceType) and (
            self._supergraph.is_interface_object(at.parent_type.name, at.subgraph)
        )

    def _possible_types(self, at: _At) -> list[str]:
        return self._supergraph.possible_types_in(at.parent_type.name, at.subgraph)

    # Selections

    def _plan_selections(self, at: _At, selection_set: SelectionSetNode) -> set[int]:
        """Plan selections at one position; returns the fetches that provide their data."""
        self._note_forced_jumps(at, selection_set)
        self._note_client_keys(
            self._client_keys.setdefault((at.fetch.id, at.path), {}), selection_set
        )
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

    def _note_client_keys(
        self, keys: dict[str, set[tuple[str, bool]]], selection_set: SelectionSetNode
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                keys.setdefault(key, set()).add((selection.name.value, bool(selection.arguments)))
            elif isinstance(selection, InlineFragmentNode):
                self._note_client_keys(keys, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._operation.fragments[selection.name.value]
                self._note_client_keys(keys, fragment.selection_set)

    def _note_forced_jumps(self, at: _At, selection_set: SelectionSetNode) -> None:
        """Subgraphs the position's own fields can only be had from, noted first, so a
        field several subgraphs serve goes to one of them whatever the field order."""
        if not isinstance(at.parent_type, GraphQLObjectType):
            return
        for selection in selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
                continue
            name = selection.name.value
            if self._is_local(at, name):
                continue
            found = self._route_targets(at, name)
            if found is not None and len(found[1]) == 1:
                entity, (target,) = found
                if direct_key(self._supergraph, entity, at.subgraph, target):
                    self._jumped.setdefault((at.fetch.id, at.path), set()).add(target)

    def _enter(
        self,
        at: _At,
        type_name: str | None,
        conditions: tuple[DirectiveNode, ...],
    ) -> _At:
        """The position inside a fragment (its tree added when it has a type or conditions)."""
        fragment_type = self._schema.get_type(type_name) if type_name else at.parent_type
        assert is_composite_type(fragment_type)
        narrowed = fragment_type is not at.parent_type
        tree = at.tree.add_fragment(type_name, conditions) if narrowed or conditions else at.tree
        inner = at._replace(
            tree=tree,
            conditions=at.conditions + conditions,
            parent_type=fragment_type,
            abstract_context=at.parent_type.name if narrowed else at.abstract_context,
        )
        if narrowed and self._supergraph.is_entity(fragment_type.name):
            return inner._replace(anchor=_Anchor(inner, ()))
        if at.anchor is not None and (narrowed or conditions):
            step = _Step(None, type_name if narrowed and type_name else "", (), conditions)
            return inner._replace(anchor=_Anchor(at.anchor.at, (*at.anchor.steps, step)))
        return inner

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
        if not is_abstract_type(parent_type) or fragment_type is parent_type:
            return self._plan_selections(self._enter(at, None, conditions), selection_set)
        if self._is_interface_object(at):
            jumped, owner = self._to_interface_owner(at)
            return jumped | self._plan_fragment(owner, type_name, conditions, selection_set)
        returned = self._possible_types(at)
        if isinstance(fragment_type, GraphQLObjectType):
            if fragment_type.name not in returned:
                return set()
            inner = self._enter(at, fragment_type.name, conditions)
            return self._plan_selections(inner, selection_set)
        wanted = {t.name for t in self._schema.get_possible_types(fragment_type)}
        matching = [name for name in returned if name in wanted]
        in_subgraph = set(self._supergraph.possible_types_in(fragment_type.name, at.subgraph))
        if matching and all(name in in_subgraph for name in matching):
            inner = self._enter(at, fragment_type.name, conditions)
            inner.tree.add_field(self._typename, "__typename")
            return self._plan_selections(inner, selection_set)
        providers: set[int] = set()
        for object_name in matching:
            providers |= self._plan_fragment(at, object_name, conditions, selection_set)
        return providers

    # Fields

    def _plan_field(self, at: _At, field_node: FieldNode) -> set[int]:
        name = field_node.name.value
        if name == "__typename":
            if self._is_interface_object(at):
                return self._to_interface_owner(at)[0]
            return set()
        if self._is_local(at, name):
            return self._plan_local_field(at, field_node)
        route = self._route(at, name)
        if route is not None:
            providers, inner = self._jump(at, *route, name)
            return providers | self._plan_field(inner, field_node)
        if is_abstract_type(at.parent_type) and not self._is_interface_object(at):
            exploded: set[int] = set()
            for object_name in self._possible_types(at):
                object_type = self._schema.get_type(object_name)
                assert isinstance(object_type, GraphQLObjectType)
                if name in object_type.fields:
                    exploded |= self._plan_field(self._enter(at, object_name, ()), field_node)
            return exploded
        return self._plan_through_anchor(at, field_node)

    def _plan_local_field(self, at: _At, field_node: FieldNode) -> set[int]:
        name = field_node.name.value
        field_type = get_named_type(at.parent_type.fields[name].type)  # type: ignore[union-attr]
        response_key = field_node.alias.value if field_node.alias else name
        composite = is_composite_type(field_type)
        fetch_key = self._fetch_key(at, name, response_key)
        arguments = tuple(field_node.arguments or ())
        directives = conditions_of(field_node.directives)
        child = at.tree.add_field(fetch_key, name, arguments, directives, composite=composite)
        providers = {at.fetch.id}
        if composite and field_node.selection_set:
            assert is_composite_type(field_type)
            abstract = is_abstract_type(field_type)
            if abstract and not self._supergraph.is_interface_object(field_type.name, at.subgraph):
                child.add_field(self._typename, "__typename")
            inner = _At(
                at.fetch,
                (*at.path, response_key),
                field_type,
                child,
                provided=self._provided_below(at, name, field_node),
            )
            if self._supergraph.is_entity(field_type.name):
                anchor: _Anchor | None = _Anchor(inner, ())
            elif at.anchor is not None:
                step = _Step(response_key, name, arguments, directives, abstract)
                anchor = _Anchor(at.anchor.at, (*at.anchor.steps, step))
            else:
                anchor = None
            inner = inner._replace(anchor=anchor)
            providers |= self._plan_selections(inner, field_node.selection_set)
        return providers

    def _provided_below(self, at: _At, name: str, field_node: FieldNode) -> SelectionSetNode | None:
        """What the subgraph promises below this field: what a `@provides` above says of
        it, or its own `@provides`."""
        if at.provided is not None:
            provided = _provided_field(at.provided, self._supergraph, at.parent_type.name, name)
            if provided is not None and provided.selection_set is not None:
                return provided.selection_set
        join = self._supergraph.field_join(at.parent_type.name, name, at.subgraph)
        return join.provides if join else None

    def _fetch_key(self, at: _At, name: str, response_key: str) -> str:
        """The response key in the subgraph's query: an alias when the subgraph types the
        field differently in another implementation of the same abstract type (the
        subgraph would refuse the two as conflicting), renamed back on arrival."""
        if at.abstract_context is None or not isinstance(at.parent_type, GraphQLObjectType):
            return response_key
        types = {
            declared
            for other in self._supergraph.possible_types_in(at.abstract_context, at.subgraph)
            if (declared := self._type_in(other, name, at.subgraph)) is not None
        }
        mine = self._type_in(at.parent_type.name, name, at.subgraph)
        if len(types) < 2 or mine is None:
            return response_key
        alias = f"{self._prefix}t{sorted(types).index(mine)}_{response_key}"
        at.fetch.renames[alias] = response_key
        return alias

    def _type_in(self, type_name: str, name: str, graph: str) -> str | None:
        object_type = self._schema.get_type(type_name)
        if not isinstance(object_type, GraphQLObjectType) or name not in object_type.fields:
            return None
        declared = self._supergraph.field_type_in(type_name, name, graph)
        return declared or str(object_type.fields[name].type)

    # Jumps

    def _route(self, at: _At, name: str) -> tuple[str, str] | None:
        """The entity type (or entity interface) and subgraph to ask `_entities` for the
        field (one already jumped to from here if it can); None when there is none."""
        found = self._route_targets(at, name)
        if found is None:
            return None
        entity, targets = found
        jumped = self._jumped.setdefault((at.fetch.id, at.path), set())
        direct = [g for g in targets if direct_key(self._supergraph, entity, at.subgraph, g)]
        target = preferred_subgraph([g for g in direct if g in jumped] or direct or targets)
        if target in direct:
            jumped.add(target)
        return entity, target

    def _route_targets(self, at: _At, name: str) -> tuple[str, list[str]] | None:
        parent = at.parent_type.name
        graphs = self._supergraph.field_graphs(parent, name)
        if isinstance(at.parent_type, GraphQLObjectType):
            targets = [g for g in graphs if self._keyed_without(parent, g, name)]
            if targets:
                return parent, targets
            interface = self._supergraph.interface_route(parent, name)
            if interface is None:
                return None
            parent, graphs = interface, self._supergraph.field_graphs(interface, name)
        elif self._serves(parent, name, at.subgraph) and not self._is_interface_object(at):
            return None
        targets = [
            g
            for g in graphs
            if self._keyed_without(parent, g, name)
            and (g != at.subgraph or self._supergraph.requires(parent, name, g))
        ]
        return (parent, targets) if targets else None

    def _keyed_without(self, entity: str, graph: str, name: str) -> bool:
        """`graph` has a resolvable key for the entity that is not made of the field
        itself (a key field is had from a subgraph with another key: key translation)."""
        return any(
            not any(isinstance(s, FieldNode) and s.name.value == name for s in key.selections)
            for key in self._supergraph.resolvable_keys(entity, graph)
        )

    def _to_interface_owner(self, at: _At) -> tuple[set[int], _At]:
        """From an `@interfaceObject` position to a subgraph that knows the object's real
        type (its `__typename` asked there), where type conditions can be planned."""
        interface = at.parent_type.name
        owners = [
            join.graph
            for join in self._supergraph.join.types.get(interface, ())
            if join.key is not None and join.resolvable and not join.interface_object
        ]
        if not owners:
            raise PlanningError(f"No subgraph knows the object types of interface {interface}")
        return self._jump(at, interface, preferred_subgraph(owners), None)

    def _jump(
        self, at: _At, entity: str, target: str, field_name: str | None
    ) -> tuple[set[int], _At]:
        """An `_entities` entry of `target` for the objects at this position; the
        position inside it."""
        key, requires = entity_requirements(
            self._supergraph,
            entity,
            field_name,
            at.subgraph,
            target,
            self._prefix,
            lambda name: (
                self._client_keys.get((at.fetch.id, at.path), {}).get(name, {(name, False)})
                == {(name, False)}
            ),
        )
        if not self._is_interface_object(at):
            at.tree.add_field(self._typename, "__typename")
        coordinate = f"{entity}.{field_name}"
        providers = self._plan_requirements(at, key, coordinate)
        if requires.selections:  # from the entity itself, as Apollo Gateway: no @provides
            providers |= self._plan_requirements(at._replace(provided=None), requires, coordinate)
        required = SelectionSetNode(selections=(*key.selections, *requires.selections))
        fetch = self._entity_fetch(target, frozenset(providers | {at.fetch.id}))
        if isinstance(at.parent_type, GraphQLObjectType):
            typenames = frozenset({at.parent_type.name})
        else:
            possible = self._schema.get_possible_types(at.parent_type)
            typenames = frozenset({at.parent_type.name, *(t.name for t in possible)})
        entry = fetch.entry(
            at.path,
            entity,
            typenames,
            required_fields(self._supergraph, entity, required, self._prefix),
        )
        selection = entry.selection
        if at.conditions:
            selection = selection.add_fragment(None, at.conditions)
        entity_type = self._schema.get_type(entity)
        assert is_composite_type(entity_type)
        if is_abstract_type(entity_type) and not self._supergraph.is_interface_object(
            entity, target
        ):
            selection.add_field(self._typename, "__typename")
        inner = _At(fetch, at.path, entity_type, selection)
        return {fetch.id}, inner._replace(anchor=_Anchor(inner, ()), required_for=field_name)

    def _plan_through_anchor(self, at: _At, field_node: FieldNode) -> set[int]:
        """A field of a value type this subgraph lacks: ask a subgraph that has it from
        the nearest entity (or the root) above, replaying the fields leading here."""
        name = field_node.name.value
        anchor = at.anchor
        if anchor is not None:
            start = anchor.at.parent_type
            for graph in self._supergraph.subgraph_urls:
                if graph == at.subgraph or not self._serves(at.parent_type.name, name, graph):
                    continue
                if not self._replayable(start.name, anchor.steps, graph):
                    continue
                if not anchor.at.path and start.name == self._operation.root_type.name:
                    providers: set[int] = set()
                    fetch = self._root_fetch(graph)
                    assert fetch.root is not None
                    tree = fetch.root
                elif self._supergraph.resolvable_keys(start.name, graph):
                    providers, entry = self._jump(anchor.at, start.name, graph, None)
                    fetch, tree = entry.fetch, entry.tree
                else:
                    continue
                for step in anchor.steps:
                    tree = self._replay(tree, step)
                inner = at._replace(fetch=fetch, tree=tree, provided=None)
                return providers | self._plan_field(inner, field_node)
        raise PlanningError(
            f"No subgraph can resolve {at.parent_type.name}.{name} for entities from "
            f"subgraph '{at.subgraph}'"
        )

    def _replayable(self, type_name: str, steps: tuple[_Step, ...], graph: str) -> bool:
        for step in steps:
            if step.response_key is None:
                if step.name:
                    if graph not in self._supergraph.type_graphs(step.name):
                        return False
                    type_name = step.name
                continue
            if not self._serves(type_name, step.name, graph):
                return False
            parent = self._schema.get_type(type_name)
            assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            type_name = get_named_type(parent.fields[step.name].type).name
        return True

    def _replay(self, tree: SelectionTree, step: _Step) -> SelectionTree:
        if step.response_key is None:
            return tree.add_fragment(step.name or None, step.directives)
        child = tree.add_field(
            step.response_key, step.name, step.arguments, step.directives, composite=True
        )
        if step.abstract:
            child.add_field(self._typename, "__typename")
        return child

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
