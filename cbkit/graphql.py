"""GraphQL plumbing every subgraph shares: request context, DataLoaders made
per request, and refusals shown with their code."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar

import asyncpg
import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, parse
from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.federation.schema import FederationAny
from strawberry.types.graphql import OperationType
from strawberry.types.info import Info

from cbkit import scalars
from cbkit.auth import AuthError, Principal, Role, optional_caller, require
from cbkit.db import Connection
from cbkit.errors import Refusal
from cbkit.i18n import Language, negotiate
from cbkit.inputs import Operation

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")
T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class Context(Generic[D]):
    """One request's context: the pool, the caller, the service's typed dependencies
    and the request's DataLoaders."""

    pool: asyncpg.Pool
    deps: D
    request: HTTPConnection | None = None
    connection_params: dict[str, Any] | None = None
    principal_or_error: Principal | AuthError | None = None
    token_renewals: list[Callable[[str], Awaitable[None]]] = field(default_factory=list)
    """On a WebSocket: what is told of each `Authorization` a client renews its token
    with (a graphql-transport-ws `ping` whose payload is `{"authorization": ...}`)."""
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    @property
    def language(self) -> Language:
        """The language the client reads (`Accept-Language`; on a WebSocket, the
        connection's `accept-language` parameter or the upgrade request's header)."""
        header = self.request.headers.get("accept-language") if self.request else None
        params = self.connection_params or {}
        if isinstance(params.get("accept-language"), str):
            header = params["accept-language"]
        return negotiate(header)

    @property
    def principal(self) -> Principal | None:
        """The caller, or None when anonymous; a bad token is refused, never ignored."""
        return optional_caller(self.principal_or_error)

    def require(self, *roles: Role) -> Principal:
        return require(self.principal_or_error, *roles)

    async def run(
        self,
        use_case: Callable[Concatenate[Connection, P], Awaitable[V]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> V:
        """A use case (or a repository read) on one of the pool's connections, given
        back as soon as it is done."""
        async with self.pool.acquire() as conn:
            return await use_case(conn, *args, **kwargs)

    def deferred(
        self,
        use_case: Callable[Concatenate[Connection, P], Awaitable[V]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Callable[[], Awaitable[V]]:
        """`run` of the use case when (and only if) it is called: a connection's
        `totalCount`, counted only when a client selects it."""
        return lambda: self.run(use_case, *args, **kwargs)

    def loader(
        self, name: str, fetch: Callable[[Connection, list[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """The request's DataLoader called `name`: one query per batch of keys."""
        if name not in self._loaders:

            async def load(keys: list[K]) -> Sequence[V]:
                async with self.pool.acquire() as conn:
                    return await fetch(conn, keys)

            self._loaders[name] = DataLoader(load_fn=load)
        return self._loaders[name]


def from_record(cls: type[T], record: object, /, **values: Any) -> T:
    """The dataclass `cls` (a GraphQL type, a domain value) from a record whose
    attributes are named like its fields; `values` give the fields that need more
    (nested types, other names)."""
    kwargs = {
        name: values[name] if name in values else getattr(record, name)
        for name in _field_names(cls)
    }
    return cls(**kwargs)


class FromRecord:
    """A GraphQL type made from a record whose attributes are named like its fields,
    nothing more; a type whose fields need more defines its own `from_record`."""

    @classmethod
    def from_record(cls, record: object) -> Self:
        return from_record(cls, record)


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return _FIELD_NAMES[cls]


SCALARS: dict[object, Any] = dict(scalars.SCALARS)
"""The custom scalars every subgraph parses the same way (bounded, refused by name)."""


class SubgraphSchema(strawberry.federation.Schema):
    """A Federation 2 schema whose subscription events show refusals as queries and
    mutations do: extensions see a subscription's start, not each event it yields."""

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """Strawberry's `_entities`, given copies: it takes `__typename` out of each
        representation, and two aliases of one operation may share the same variable."""
        copies = [FederationAny(dict(r)) if isinstance(r, dict) else r for r in representations]
        return super().entities_resolver(info, copies)

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> Any:
        """What graphql-transport-ws (and `subscribe`) run: every result's errors are
        shown as a query's are (idempotent where the extension did it already)."""
        results = await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types,
        )
        return _presented(results, query, variable_values or {}, _language_of(context_value))


def _language_of(context: object) -> Language:
    return context.language if isinstance(context, Context) else "en"


async def _presented(
    results: AsyncGenerator[Any, None],
    query: str | None,
    variables: dict[str, Any],
    language: Language,
) -> AsyncGenerator[Any, None]:
    async with contextlib.aclosing(results):
        async for result in results:
            if getattr(result, "errors", None):
                operation = Operation(parse(query) if query else None, variables)
                result.errors = [_present(error, operation, language) for error in result.errors]
            yield result


def subgraph_schema(
    query: type[Any],
    mutation: type[Any] | None = None,
    subscription: type[Any] | None = None,
    types: Sequence[type[Any]] = (),
) -> strawberry.federation.Schema:
    """A service's subgraph schema, built one way: Federation 2, the shared scalars and
    the extensions every subgraph runs with."""
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        extensions=subgraph_extensions(),
        scalar_overrides=SCALARS or None,
    )


def subgraph_extensions() -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """What every subgraph schema runs with. The gateway sends the same few operation
    texts over and over: each is parsed and validated once."""
    return [
        RefusalErrors,
        TextWithoutNul,
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ]


class RefusalErrors(SchemaExtension):
    """Refusals keep their message and gain a code (a refused scalar also the name of
    its argument); unexpected errors are logged and masked."""

    def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        context = self.execution_context
        result = context.result
        if result is None or not result.errors:
            return
        operation = Operation(context.graphql_document, context.variables or {})
        language = _language_of(context.context)
        result.errors = [_present(error, operation, language) for error in result.errors]


class TextWithoutNul(SchemaExtension):
    """PostgreSQL cannot store a NUL character, and no name or note needs one: text
    holding one is refused at the door, before any resolver runs."""

    def on_execute(self):  # type: ignore[no-untyped-def]
        context = self.execution_context
        text = context.query
        # A literal holds a NUL only as an escape (\u0000, \u{0}) or the character itself.
        literals = text is None or "\\u" in text or "\x00" in text
        operation = Operation(context.graphql_document, context.variables or {})
        name = operation.where(_holds_nul, in_literals=literals)
        if name is not None:
            refusal = Refusal(
                f"{name} must not contain a NUL character",
                field=name,
                zh=f"{name} 不能包含 NUL 字符",
            )
            language = _language_of(context.context)
            error = _shown(GraphQLError(refusal.text(language)), refusal, language)
            if context.operation_type is OperationType.SUBSCRIPTION:
                raise error  # a subscription answers what is raised here, not a result set
            context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


def _holds_nul(value: object) -> bool:
    return isinstance(value, str) and "\x00" in value


def _present(error: GraphQLError, operation: Operation, language: Language) -> GraphQLError:
    refusal = _refusal_behind(error)
    if refusal is not None:
        if isinstance(refusal, scalars.InvalidScalar) and refusal.field is None:
            name = operation.name_of(error, refusal.value)
            refusal = refusal.named(name) if name else refusal
        return _shown(error, refusal, language)
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    log.error("unexpected error at %s", error.path, exc_info=original)
    return GraphQLError(
        "internal error",
        error.nodes,
        error.source,
        error.positions,
        error.path,
        None,
        {"code": "INTERNAL_SERVER_ERROR"},
    )


def _shown(error: GraphQLError, refusal: Refusal, language: Language) -> GraphQLError:
    """The error as the client sees a refusal: its message in the client's language,
    its code and field."""
    extensions = {"code": refusal.code}
    if refusal.field:
        extensions["field"] = refusal.field
    return GraphQLError(
        refusal.text(language),
        error.nodes,
        error.source,
        error.positions,
        error.path,
        refusal,
        extensions,
    )


def _refusal_behind(error: GraphQLError) -> Refusal | None:
    """The refusal an error stands for; a variable's refused value is wrapped twice."""
    cause: BaseException | None = error
    while isinstance(cause, GraphQLError):
        cause = cause.original_error
    return cause if isinstance(cause, Refusal) else None
