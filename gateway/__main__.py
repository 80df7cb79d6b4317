"""`python -m gateway`: serve the supergraph on CB_HOST:CB_GATEWAY_PORT (127.0.0.1:4000)."""

from __future__ import annotations

import uvicorn

from gateway.app import create_app
from gateway.edge.config import load_gateway_settings


def main() -> None:
    settings = load_gateway_settings()
    app = create_app(settings.supergraph.read_text(), settings.subgraph_urls, settings.edge)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
