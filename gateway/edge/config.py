"""The gateway's settings, read once from the environment."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cbkit.auth import KeySet
from cbkit.settings import ENVIRONMENTS, SettingsError
from cbkit.vc.issuer import IssuerKeys, load_issuer_keys
from gateway.edge.trusted import TrustedDocuments, TrustedDocumentsError, load_trusted_documents
from gateway.limits import QueryLimits

DEFAULT_SUPERGRAPH = Path(__file__).resolve().parents[1] / "supergraph.graphql"
DEFAULT_PORTAL_DIR = Path(__file__).resolve().parents[2] / "web" / "dist"
DEFAULT_JWKS_URL = "http://127.0.0.1:4001/.well-known/jwks.json"
DEFAULT_PORT = 4000
SUBGRAPH_URL_ENV_PREFIX = "CB_SUBGRAPH_URL_"
EVIDENCE_SUBGRAPH_ENV = "CB_EVIDENCE_SUBGRAPH"
CREDENTIALS_SUBGRAPH_ENV = "CB_CREDENTIALS_SUBGRAPH"
TRUSTED_DOCUMENTS_ENV = "CB_TRUSTED_DOCUMENTS"
DEFAULT_EVIDENCE_SUBGRAPH = "outcomes"
DEFAULT_CREDENTIALS_SUBGRAPH = "conversion"
MiB = 1024 * 1024


class ConfigError(RuntimeError):
    """A setting is unacceptable; the message names the variable."""


@dataclass(frozen=True)
class EdgeConfig:
    """What the edge does. `keys=None` forwards tokens unverified (toy subgraphs only)."""

    keys: KeySet | None = None
    cors_origins: tuple[str, ...] = ()
    limits: QueryLimits = field(default_factory=QueryLimits)
    persisted_queries: int = 10_000
    """How many automatic persisted queries are kept (least recently used dropped)."""
    evidence_subgraph: str | None = None
    """The subgraph `/evidence` passes through to (CB_EVIDENCE_SUBGRAPH); None: no routes."""
    credentials_subgraph: str | None = None
    """The subgraph `GET /credentials/…` passes through to (CB_CREDENTIALS_SUBGRAPH): the
    public credentials and status lists; None: no route."""
    max_body_bytes: int = MiB
    """The longest body a POST /graphql may have (CB_GATEWAY_MAX_BODY_BYTES)."""
    max_subscriptions_per_socket: int = 20
    """Operations one WebSocket may run at once (CB_GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET)."""
    introspection: bool = True
    """Introspection and GraphiQL (off in production unless CB_GATEWAY_INTROSPECTION=on)."""
    portal_dir: Path = DEFAULT_PORTAL_DIR
    """The built web portal served at / (CB_PORTAL_DIR; gateway/edge/portal.py)."""
    refresh_token_days: int = 30
    """How long the portal's refresh cookie lives (its Max-Age): CB_REFRESH_TOKEN_DAYS, the
    lifetime accounts gives refresh tokens (gateway/edge/session.py)."""
    trusted_documents: TrustedDocuments | None = None
    """The only documents the portal's browser clients may run (CB_TRUSTED_DOCUMENTS, a
    manifest file); None: every client runs any document (gateway/edge/trusted.py)."""
    issuer: IssuerKeys | None = None
    """The credential issuer whose DID document /.well-known/did.json serves (CB_PUBLIC_URL,
    CB_CREDENTIAL_KEY_FILE, CB_CREDENTIAL_PREVIOUS_KEYS_FILE); None: no such route."""
    replicas: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The subgraphs served by several replicas: by subgraph, its URLs (the first one is
    its URL in `subgraph_urls`); GraphQL fetches are balanced over them (gateway/upstreams.py),
    the pass-through routes and subscriptions use the first."""


@dataclass(frozen=True)
class GatewaySettings:
    host: str
    port: int
    supergraph: Path
    subgraph_urls: dict[str, str]
    edge: EdgeConfig
    log_level: str


def passed_through_url(
    subgraph: str, subgraph_urls: Mapping[str, str], setting: str = EVIDENCE_SUBGRAPH_ENV
) -> str:
    """The GraphQL URL of the subgraph a route passes through to, named by `setting`;
    ConfigError when the supergraph has none by that name (checked when the app is made,
    so a wrong name stops the start)."""
    if subgraph not in subgraph_urls:
        raise ConfigError(
            f"{setting} names no subgraph of the supergraph: {subgraph!r}"
            f" (its subgraphs: {', '.join(sorted(subgraph_urls))})"
        )
    return subgraph_urls[subgraph]


def subgraph_urls_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`CB_SUBGRAPH_URL_<NAME>=url` overrides the supergraph's URL of subgraph `name`
    (with several, `url1,url2`, the first)."""
    return {name: urls[0] for name, urls in _subgraph_url_lists(environ).items()}


def subgraph_replicas_from_env(
    environ: Mapping[str, str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """The subgraphs `CB_SUBGRAPH_URL_<NAME>=url1,url2` gives several replicas: their URLs."""
    return {name: urls for name, urls in _subgraph_url_lists(environ).items() if len(urls) > 1}


def _subgraph_url_lists(environ: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    environ = os.environ if environ is None else environ
    found = {}
    for key, value in environ.items():
        urls = tuple(url.strip() for url in value.split(",") if url.strip())
        if key.startswith(SUBGRAPH_URL_ENV_PREFIX) and urls:
            name = key.removeprefix(SUBGRAPH_URL_ENV_PREFIX).lower()
            if len(set(urls)) != len(urls):
                raise ConfigError(f"{key} names one URL twice: {value!r}")
            found[name] = urls
    return found


def key_set_from_env(environ: Mapping[str, str]) -> KeySet:
    """accounts' public keys: a JWKS file (CB_JWT_PUBLIC_KEY_FILE) or its JWKS URL."""
    return KeySet.configured(
        environ.get("CB_JWT_PUBLIC_KEY_FILE"), environ.get("CB_JWKS_URL") or DEFAULT_JWKS_URL
    )


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name) or str(default)
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{name} must be a positive whole number, not {text!r}")
    return int(text)


def load_gateway_settings(environ: Mapping[str, str] | None = None) -> GatewaySettings:
    environ = os.environ if environ is None else environ
    origins = tuple(o.strip() for o in environ.get("CB_CORS_ORIGINS", "").split(",") if o.strip())
    limits = QueryLimits(
        max_depth=_int(environ, "CB_GATEWAY_MAX_DEPTH", QueryLimits.max_depth),
        max_fields=_int(environ, "CB_GATEWAY_MAX_FIELDS", QueryLimits.max_fields),
        max_bytes=_int(environ, "CB_GATEWAY_MAX_QUERY_BYTES", QueryLimits.max_bytes),
        max_cost=_int(environ, "CB_GATEWAY_MAX_COST", QueryLimits.max_cost),
    )
    edge = EdgeConfig(
        keys=key_set_from_env(environ),
        cors_origins=origins,
        limits=limits,
        evidence_subgraph=environ.get(EVIDENCE_SUBGRAPH_ENV) or DEFAULT_EVIDENCE_SUBGRAPH,
        credentials_subgraph=environ.get(CREDENTIALS_SUBGRAPH_ENV) or DEFAULT_CREDENTIALS_SUBGRAPH,
        max_body_bytes=_int(environ, "CB_GATEWAY_MAX_BODY_BYTES", EdgeConfig.max_body_bytes),
        max_subscriptions_per_socket=_int(
            environ,
            "CB_GATEWAY_MAX_SUBSCRIPTIONS_PER_SOCKET",
            EdgeConfig.max_subscriptions_per_socket,
        ),
        introspection=_introspection(environ),
        portal_dir=Path(environ.get("CB_PORTAL_DIR") or DEFAULT_PORTAL_DIR),
        refresh_token_days=_int(environ, "CB_REFRESH_TOKEN_DAYS", EdgeConfig.refresh_token_days),
        trusted_documents=_trusted_documents(environ, watch=_environment(environ) != "production"),
        issuer=_issuer(environ),
        replicas=subgraph_replicas_from_env(environ),
    )
    return GatewaySettings(
        host=environ.get("CB_HOST") or "127.0.0.1",
        port=_int(environ, "CB_GATEWAY_PORT", DEFAULT_PORT),
        supergraph=Path(environ.get("CB_SUPERGRAPH") or DEFAULT_SUPERGRAPH),
        subgraph_urls=subgraph_urls_from_env(environ),
        edge=edge,
        log_level=_log_level(environ),
    )


def _environment(environ: Mapping[str, str]) -> str:
    environment = environ.get("CB_ENV") or "development"
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"CB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}")
    return environment


def _introspection(environ: Mapping[str, str]) -> bool:
    """On unless CB_ENV=production; CB_GATEWAY_INTROSPECTION=on/off decides either way."""
    environment = _environment(environ)
    switch = (environ.get("CB_GATEWAY_INTROSPECTION") or "").lower()
    if switch not in ("", "on", "off"):
        raise ConfigError(f"CB_GATEWAY_INTROSPECTION must be on or off, not {switch!r}")
    return switch == "on" or (switch == "" and environment != "production")


def _trusted_documents(environ: Mapping[str, str], watch: bool) -> TrustedDocuments | None:
    """The manifest CB_TRUSTED_DOCUMENTS names, checked (a wrong one stops the start);
    outside production it is read again whenever it changes (`make web-codegen`)."""
    path = environ.get(TRUSTED_DOCUMENTS_ENV)
    if not path:
        return None
    try:
        return load_trusted_documents(Path(path), watch=watch)
    except TrustedDocumentsError as error:
        raise ConfigError(f"{TRUSTED_DOCUMENTS_ENV}: {error}") from None


def _issuer(environ: Mapping[str, str]) -> IssuerKeys:
    try:
        return load_issuer_keys(environ)
    except SettingsError as error:
        raise ConfigError(str(error)) from None


def _log_level(environ: Mapping[str, str]) -> str:
    level = (environ.get("CB_LOG_LEVEL") or "INFO").upper()
    if level not in logging.getLevelNamesMapping():
        raise ConfigError(f"CB_LOG_LEVEL must be a logging level such as INFO, not {level!r}")
    return level
