"""GraphQL over HTTP on /graphql: POST, and GET for queries (GraphiQL for browsers,
unless introspection is off); the token checked at the edge, the body read within its
bound, automatic persisted queries, the portal's trusted documents (trusted.py),
subgraph fetches counted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from cbkit.auth import AuthError
from cbkit.logs import request_id
from gateway.edge import graphiql
from gateway.edge.apq import PersistedQueries, PersistedQueryError, Resolved
from gateway.edge.body import BadContentLength, BodyTooLarge, drain, read_bounded
from gateway.edge.config import EdgeConfig
from gateway.edge.metrics import GatewayMetrics
from gateway.edge.tokens import TokenCheck, reason_of
from gateway.executor import Forwarded
from gateway.service import Gateway, GraphQLResponse

logger = logging.getLogger(__name__)

Params = tuple[str | None, dict[str, Any] | None, str | None, Any, str | None]
"""(query, variables, operationName, extensions, documentId) of a request."""


@dataclass(frozen=True)
class GraphQLOverHttp:
    """The HTTP endpoint of /graphql."""

    gateway: Gateway
    tokens: TokenCheck
    persisted: PersistedQueries
    metrics: GatewayMetrics
    config: EdgeConfig

    async def __call__(self, request: Request) -> Response:
        try:
            return await self._answer(request)
        except Exception:
            logger.exception("could not answer %s %s", request.method, request.url.path)
            return _error(
                500, f"internal error (request id {request_id.get()})", "INTERNAL_SERVER_ERROR"
            )

    async def _answer(self, request: Request) -> Response:
        if self.config.introspection and graphiql.wants_graphiql(request):
            return graphiql.page()
        authorization = request.headers.get("authorization")
        try:
            await self.tokens.check(authorization)
        except AuthError as error:
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            return _error(401, f"Unauthenticated: {reason_of(error)}", "UNAUTHENTICATED", headers)
        params = await _params(request, self.config.max_body_bytes)
        if isinstance(params, Response):
            return params
        query, variables, operation_name, extensions, document_id = params
        try:
            resolved = self._resolve(request, query, extensions, document_id)
        except PersistedQueryError as error:
            return _error(error.status, error.message, error.code)
        peer = request.client.host if request.client else None
        language = _accept_language(request.headers.get("accept-language"))
        forwarded = Forwarded(authorization, request_id.get(), peer, language)
        response = await self.gateway.execute(
            resolved.query,
            variables,
            operation_name,
            forwarded,
            allow_mutation=request.method == "POST",
        )
        if response.status == 200:  # parsed, valid, within the limits
            self.persisted.remember(resolved)
        self.metrics.count_fetches(response.fetches)
        return _json(response)

    def _resolve(
        self, request: Request, query: str | None, extensions: Any, document_id: str | None
    ) -> Resolved:
        """The text to run: a trusted document (the only ones the portal may run, when
        CB_TRUSTED_DOCUMENTS is set), else the text sent or an automatic persisted query."""
        trusted = self.config.trusted_documents
        if trusted is not None:
            text = trusted.resolve(request.headers, query, extensions, document_id)
            if text is not None:
                return Resolved(text)
        elif query is None and document_id is not None:
            raise PersistedQueryError(
                "this gateway has no trusted documents: send the query's text",
                "PERSISTED_QUERY_NOT_SUPPORTED",
                400,
            )
        return self.persisted.resolve(query, extensions)


def _accept_language(header: str | None) -> str | None:
    """The client's `Accept-Language` as subgraphs get it: a short printable ASCII
    header, or none (the subgraphs then answer in English)."""
    if header is None or len(header) > 200 or not header.isascii() or not header.isprintable():
        return None
    return header


def _json(response: GraphQLResponse, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(response.body),
        status_code=response.status,
        media_type="application/graphql-response+json",
        headers=headers,
    )


def _error(status: int, message: str, code: str, headers: dict[str, str] | None = None) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return _json(GraphQLResponse(status, body), headers)


async def _params(request: Request, max_body_bytes: int) -> Params | Response:
    """The request's parameters (from the URL for GET, the JSON body for POST), or the
    answer saying what is wrong with them."""
    if request.method == "GET":
        params = _params_from_url(request)
        checked = params if isinstance(params, str) else _checked_params(params)
    else:
        try:
            checked = _checked_params(orjson.loads(await read_bounded(request, max_body_bytes)))
        except BodyTooLarge as error:
            await drain(request)
            return _error(413, str(error), "PAYLOAD_TOO_LARGE", {"Connection": "close"})
        except BadContentLength:
            return _error(400, "Content-Length must be a number.", "BAD_REQUEST")
        except orjson.JSONDecodeError:
            checked = "The request body must be JSON."
    return _error(400, checked, "BAD_REQUEST") if isinstance(checked, str) else checked


def _params_from_url(request: Request) -> dict[str, Any] | str:
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if params.get(name):
            try:
                params[name] = orjson.loads(params[name])
            except orjson.JSONDecodeError:
                return f"'{name}' must be JSON."
    return params


def _checked_params(params: Any) -> Params | str:
    if not isinstance(params, dict):
        return "The request body must be a JSON object."
    query, variables = params.get("query"), params.get("variables")
    operation_name, extensions = params.get("operationName"), params.get("extensions")
    document_id = params.get("documentId")
    if query is not None and not isinstance(query, str):
        return "'query' must be a string."
    if document_id is not None and not isinstance(document_id, str):
        return "'documentId' must be a string."
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions
    if not query and not persisted and not document_id:
        return "The request must carry a non-empty 'query' string."
    if variables is not None and not isinstance(variables, dict):
        return "'variables' must be a JSON object."
    if operation_name is not None and not isinstance(operation_name, str):
        return "'operationName' must be a string."
    if extensions is not None and not isinstance(extensions, dict):
        return "'extensions' must be a JSON object."
    return query or None, variables, operation_name, extensions, document_id or None
