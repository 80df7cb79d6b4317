"""Compose the services' subgraph schemas into `gateway/supergraph.graphql`.

`python -m gateway.compose` (run by `make supergraph`) imports `schema` from
`services.<name>.schema` for every service, takes its SDL with `schema.as_str()`, and
composes them with Apollo's composition (`gateway/compose.mjs`, node).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

GATEWAY_DIR = Path(__file__).resolve().parent
SUPERGRAPH_PATH = GATEWAY_DIR / "supergraph.graphql"
SERVICE_PORTS = {
    "accounts": 4001,
    "outcomes": 4002,
    "certification": 4003,
    "conversion": 4004,
    "notifications": 4005,
}


class CompositionError(RuntimeError):
    """Apollo's composition refused the subgraphs; the message lists its errors."""


@dataclass(frozen=True)
class SubgraphSource:
    name: str
    url: str
    sdl: str


def compose_supergraph(subgraphs: list[SubgraphSource]) -> str:
    """The supergraph SDL Apollo's composition makes of the subgraphs."""
    result = subprocess.run(
        ["node", str(GATEWAY_DIR / "compose.mjs")],
        input=json.dumps([asdict(s) for s in subgraphs]),
        capture_output=True,
        text=True,
        check=False,
        cwd=GATEWAY_DIR,
    )
    if result.returncode != 0:
        raise CompositionError(result.stderr.strip() or f"compose.mjs exited {result.returncode}")
    return result.stdout


def service_subgraphs(names: list[str] | None = None) -> tuple[list[SubgraphSource], list[str]]:
    """Subgraph sources of the services whose schema module exists, and the names missing."""
    found, missing = [], []
    for name in names or list(SERVICE_PORTS):
        module_name = f"services.{name}.schema"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name not in (module_name, f"services.{name}", "services"):
                raise
            missing.append(name)
            continue
        url = f"http://127.0.0.1:{SERVICE_PORTS[name]}/graphql"
        found.append(SubgraphSource(name, url, module.schema.as_str()))
    return found, missing


def main() -> int:
    subgraphs, missing = service_subgraphs()
    for name in missing:
        print(f"compose: skipping {name}: services/{name}/schema.py does not exist yet")
    if not subgraphs:
        print("compose: no service schemas found", file=sys.stderr)
        return 1
    try:
        supergraph = compose_supergraph(subgraphs)
    except CompositionError as error:
        print(error, file=sys.stderr)
        return 1
    SUPERGRAPH_PATH.write_text(supergraph)
    print(f"compose: wrote {SUPERGRAPH_PATH} from {', '.join(s.name for s in subgraphs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
