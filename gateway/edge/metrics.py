"""Prometheus metrics of one gateway app (its own registry, so apps never collide)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class GatewayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "cb_gateway_requests",
            "HTTP requests the gateway answered",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cb_gateway_request_seconds",
            "Time to answer a request",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.fetches = Histogram(
            "cb_gateway_subgraph_fetches_per_operation",
            "Subgraph requests one GraphQL operation needed",
            buckets=(0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20),
            registry=self.registry,
        )
        self.subgraph_fetches = Counter(
            "cb_gateway_subgraph_fetches",
            "Requests sent to each subgraph",
            ["subgraph"],
            registry=self.registry,
        )
        self.refused_tokens = Counter(
            "cb_gateway_refused_tokens",
            "Requests refused at the edge for their bearer token",
            registry=self.registry,
        )
