"""`python -m gateway`: serve the supergraph on CB_GATEWAY_PORT (default 4000)."""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn

from gateway.app import create_app, subgraph_urls_from_env

DEFAULT_SUPERGRAPH = Path(__file__).with_name("supergraph.graphql")


def main() -> None:
    supergraph_path = Path(os.environ.get("CB_SUPERGRAPH") or DEFAULT_SUPERGRAPH)
    app = create_app(supergraph_path.read_text(), subgraph_urls_from_env())
    port = int(os.environ.get("CB_GATEWAY_PORT", "4000"))
    host = os.environ.get("CB_GATEWAY_HOST", "0.0.0.0")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
