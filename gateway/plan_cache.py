"""Plans cached per operation: hash of the document text plus the operation name."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from graphql import GraphQLError

from gateway.limits import QueryLimits, check_shape, check_size
from gateway.operation import OperationError, prepare_operation
from gateway.plan import Plan
from gateway.planner import PlanningError, plan_operation
from gateway.supergraph import Supergraph

INTROSPECTION_OFF = (
    "GraphQL introspection is not allowed on this gateway, but the query contained"
    " __schema or __type."
)


class PlanCache:
    """Least-recently-used plans; invalid operations are cached with their errors too."""

    def __init__(
        self,
        supergraph: Supergraph,
        max_size: int = 2048,
        limits: QueryLimits | None = None,
        introspection: bool = True,
    ) -> None:
        self._supergraph = supergraph
        self._limits = limits
        self._introspection = introspection
        self._max_size = max_size
        self._plans: OrderedDict[tuple[bytes, str | None], Plan | OperationError] = OrderedDict()

    def __len__(self) -> int:
        return len(self._plans)

    def plan(self, query: str, operation_name: str | None) -> Plan:
        """The plan of the operation; raises OperationError when it cannot run (LimitExceeded
        when it asks for more than the limits allow)."""
        text = query.encode()
        if self._limits is not None:
            check_size(text, self._limits)
        key = (hashlib.blake2b(text, digest_size=16).digest(), operation_name)
        cached = self._plans.get(key)
        if cached is None:
            cached = self._plans[key] = self._new_plan(query, operation_name)
            if len(self._plans) > self._max_size:
                self._plans.popitem(last=False)
        else:
            self._plans.move_to_end(key)
        if isinstance(cached, OperationError):
            raise cached
        return cached

    def _new_plan(self, query: str, operation_name: str | None) -> Plan | OperationError:
        """The plan, or why there is none (remembered too: the same text fails the same way)."""
        try:
            operation = prepare_operation(self._supergraph.api_schema, query, operation_name)
            if self._limits is not None:
                check_shape(operation, self._limits)
            plan = plan_operation(self._supergraph, operation)
            if plan.introspection is not None and not self._introspection:
                return OperationError([GraphQLError(INTROSPECTION_OFF)])
            return plan
        except OperationError as error:
            return error
        except PlanningError as error:
            return OperationError([GraphQLError(str(error))])
