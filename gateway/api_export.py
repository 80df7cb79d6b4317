"""Export the gateway's client-facing API schema to `gateway/api.graphql`.

`python -m gateway.api_export` (run by `make api-schema`, and by `make supergraph` after
composing) prints the API schema of the committed supergraph (`Supergraph.api_schema`:
what clients see, without the join__/link__ machinery or anything `@inaccessible`) with
graphql-core's `print_schema`. Clients' code generators (the portal's GraphQL Code
Generator) read this file; `gateway/tests/test_api_schema_file.py` fails when it is stale.
"""

from __future__ import annotations

from pathlib import Path

from graphql import print_schema

from gateway.compose import GATEWAY_DIR, SUPERGRAPH_PATH
from gateway.supergraph import Supergraph

API_SCHEMA_PATH = GATEWAY_DIR / "api.graphql"


def api_schema_sdl(supergraph_sdl: str) -> str:
    """The API schema of a supergraph, as SDL ending with a newline."""
    return print_schema(Supergraph(supergraph_sdl).api_schema) + "\n"


def export(supergraph: Path = SUPERGRAPH_PATH, target: Path = API_SCHEMA_PATH) -> None:
    target.write_text(api_schema_sdl(supergraph.read_text()))


def main() -> int:
    export()
    print(f"api_export: wrote {API_SCHEMA_PATH} from {SUPERGRAPH_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
