"""`python -m gateway`: serve the supergraph on CB_HOST:CB_GATEWAY_PORT (127.0.0.1:4000)."""

from __future__ import annotations

from cbkit.logs import configure_logging
from cbkit.serve import serve_gracefully
from gateway.app import create_app
from gateway.edge.config import ConfigError, load_gateway_settings


def main() -> None:
    try:
        settings = load_gateway_settings()
        configure_logging("gateway", settings.log_level)
        app = create_app(settings.supergraph.read_text(), settings.subgraph_urls, settings.edge)
    except ConfigError as error:
        raise SystemExit(f"gateway: {error}") from None
    serve_gracefully(app, settings.host, settings.port)  # SIGTERM: in-flight answered, exit 0


if __name__ == "__main__":
    main()
