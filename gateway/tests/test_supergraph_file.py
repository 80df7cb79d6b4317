"""The committed supergraph is what composing the services' schemas gives today."""

from __future__ import annotations

from gateway.compose import SERVICE_PORTS, SUPERGRAPH_PATH, compose_supergraph, service_subgraphs
from gateway.supergraph import Supergraph
from services import SERVICES


def test_committed_supergraph_is_current() -> None:
    subgraphs, missing = service_subgraphs()
    assert not missing, f"services without services/<name>/schema.py: {missing}"
    composed = compose_supergraph(subgraphs)  # raises CompositionError with Apollo's errors
    assert SUPERGRAPH_PATH.read_text() == composed, (
        "gateway/supergraph.graphql is stale: run `make supergraph` and commit it"
    )


def test_gateway_loads_the_committed_supergraph() -> None:
    supergraph = Supergraph(SUPERGRAPH_PATH.read_text())
    assert set(supergraph.subgraph_urls) == set(SERVICE_PORTS) == set(SERVICES)
