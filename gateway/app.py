"""The gateway's Starlette app: the route groups it mounts around the core
(`gateway.service.Gateway`), each made by one function below."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route, WebSocketRoute

from gateway.edge import did, graphiql, health
from gateway.edge.apq import PersistedQueries
from gateway.edge.config import (
    CREDENTIALS_SUBGRAPH_ENV,
    EdgeConfig,
    passed_through_url,
)
from gateway.edge.evidence import EvidenceProxy
from gateway.edge.export import ArchiveExport
from gateway.edge.http import GraphQLOverHttp
from gateway.edge.metrics import GatewayMetrics
from gateway.edge.passthrough import CredentialsPassThrough
from gateway.edge.portal import Portal
from gateway.edge.request_id import RequestIdMiddleware
from gateway.edge.session import PortalSessions, accounts_subgraph
from gateway.edge.tokens import TokenCheck
from gateway.edge.upstream import Upstream
from gateway.service import Gateway
from gateway.subscriptions import SubscriptionEndpoint

__all__ = ["create_app"]


def create_app(
    supergraph_sdl: str,
    subgraph_urls: dict[str, str] | None = None,
    config: EdgeConfig | None = None,
) -> Starlette:
    """Raises ConfigError when the configuration does not fit the supergraph."""
    config = config or EdgeConfig()
    gateway = Gateway(
        supergraph_sdl, subgraph_urls, config.limits, config.introspection, config.replicas
    )
    metrics = GatewayMetrics()
    tokens = TokenCheck(config.keys, on_refused=metrics.refused_tokens.inc)
    evidence = _evidence_proxy(config, gateway)
    credentials = _credentials_pass_through(config, gateway)
    export = ArchiveExport(gateway.subgraph_urls, tokens, config.evidence_subgraph)
    sessions = _portal_sessions(config, gateway)
    subscriptions = SubscriptionEndpoint(
        gateway,
        tokens,
        max_operations=config.max_subscriptions_per_socket,
        trusted_documents=config.trusted_documents,
    )
    app = Starlette(
        routes=[
            _graphql_over_http(gateway, tokens, config, metrics),
            _subscriptions(subscriptions),
            *_evidence(evidence, metrics),
            *_credentials(credentials, metrics),
            _export(export, metrics),
            *_sessions(sessions, metrics),
            *_graphiql(config),
            *_health(gateway, metrics),
            *_did(config),
        ],
        middleware=[Middleware(RequestIdMiddleware), *_cors(config)],
        lifespan=_lifespan(gateway, [evidence, credentials, export, sessions]),
    )
    app.router.default = Portal(config.portal_dir)  # what no route above takes: the portal
    app.state.gateway = gateway
    app.state.subscriptions = subscriptions
    app.state.metrics = metrics
    return app


def _graphql_over_http(
    gateway: Gateway, tokens: TokenCheck, config: EdgeConfig, metrics: GatewayMetrics
) -> BaseRoute:
    persisted = PersistedQueries(config.persisted_queries)
    endpoint = GraphQLOverHttp(gateway, tokens, persisted, metrics, config)
    return Route("/graphql", metrics.measured("/graphql", endpoint), methods=["GET", "POST"])


def _subscriptions(subscriptions: SubscriptionEndpoint) -> BaseRoute:
    return WebSocketRoute("/graphql", subscriptions.endpoint)


def _evidence_proxy(config: EdgeConfig, gateway: Gateway) -> EvidenceProxy | None:
    name = config.evidence_subgraph
    return EvidenceProxy(name, passed_through_url(name, gateway.subgraph_urls)) if name else None


def _credentials_pass_through(
    config: EdgeConfig, gateway: Gateway
) -> CredentialsPassThrough | None:
    name = config.credentials_subgraph
    if not name:
        return None
    url = passed_through_url(name, gateway.subgraph_urls, CREDENTIALS_SUBGRAPH_ENV)
    return CredentialsPassThrough(name, url)


def _credentials(
    credentials: CredentialsPassThrough | None, metrics: GatewayMetrics
) -> list[BaseRoute]:
    """The public credentials (a certificate's share link, the status lists)."""
    if credentials is None:
        return []
    template = "/credentials/{rest:path}"
    return [Route(template, metrics.measured(template, credentials.get), methods=["GET"])]


def _evidence(evidence: EvidenceProxy | None, metrics: GatewayMetrics) -> list[BaseRoute]:
    if evidence is None:
        return []
    return [
        Route("/evidence", metrics.measured("/evidence", evidence.upload), methods=["POST"]),
        Route(
            "/evidence/{id}",
            metrics.measured("/evidence/{id}", evidence.download),
            methods=["GET"],
        ),
    ]


def _export(export: ArchiveExport, metrics: GatewayMetrics) -> BaseRoute:
    """The signed-in learner's archive: every subgraph's records and the evidence files."""
    return Route("/me/export", metrics.measured("/me/export", export.download), methods=["GET"])


def _portal_sessions(config: EdgeConfig, gateway: Gateway) -> PortalSessions | None:
    """The portal's sign-in with its refresh cookie, over the subgraph resolving `login`
    and the other session mutations (none in the toy supergraphs: no /auth routes)."""
    accounts = accounts_subgraph(gateway.supergraph)
    if accounts is None:
        return None
    max_age = config.refresh_token_days * 24 * 60 * 60
    return PortalSessions(gateway.subgraph_urls[accounts], config.cors_origins, max_age)


def _sessions(sessions: PortalSessions | None, metrics: GatewayMetrics) -> list[BaseRoute]:
    if sessions is None:
        return []
    routes = {
        "/auth/login": sessions.login,
        "/auth/signup": sessions.signup,
        "/auth/refresh": sessions.refresh,
        "/auth/logout": sessions.logout,
    }
    return [
        Route(path, metrics.measured(path, endpoint), methods=["POST"])
        for path, endpoint in routes.items()
    ]


def _graphiql(config: EdgeConfig) -> list[BaseRoute]:
    """GraphiQL's files, unless introspection is off; its page is served by /graphql
    itself to browsers."""
    if not config.introspection:
        return []
    return [Route(f"{graphiql.ASSET_PREFIX}/{{name}}", graphiql.asset, methods=["GET"])]


def _did(config: EdgeConfig) -> list[BaseRoute]:
    """The issuer's DID document, public (gateway/edge/did.py); none without an issuer."""
    if config.issuer is None:
        return []
    return [Route(did.PATH, did.did_document(config.issuer), methods=["GET"])]


def _health(gateway: Gateway, metrics: GatewayMetrics) -> list[BaseRoute]:
    return [
        Route("/healthz", health.healthz, methods=["GET"]),
        Route("/readyz", health.readyz(gateway.subgraph_urls), methods=["GET"]),
        Route("/metrics", health.metrics_page(metrics.registry), methods=["GET"]),
    ]


def _cors(config: EdgeConfig) -> list[Middleware]:
    """CORS for the configured origins only (none by default)."""
    if not config.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=[
                "authorization",
                "content-type",
                "apollo-require-preflight",
                "x-request-id",
                "x-cb-client",
            ],
            expose_headers=["location", "content-disposition", "etag", "x-request-id"],
            max_age=600,
        )
    ]


def _lifespan(
    gateway: Gateway,
    parts: list[Upstream | None],
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """The core, then each edge part there is, started in order and closed after."""
    present = [part for part in parts if part is not None]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await gateway.start()
        for part in present:
            await part.start()
        try:
            yield
        finally:
            await gateway.close()
            for part in present:
                await part.close()

    return lifespan
