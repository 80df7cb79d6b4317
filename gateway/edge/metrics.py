"""Prometheus metrics of one gateway app (its own registry, so apps never collide)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request], Awaitable[Response]]


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

    def count_fetches(self, fetches: dict[str, int]) -> None:
        """The subgraph requests one operation needed, by subgraph."""
        for subgraph, count in fetches.items():
            self.subgraph_fetches.labels(subgraph).inc(count)
        self.fetches.observe(sum(fetches.values()))

    def measured(self, route: str, handler: Handler) -> Handler:
        """The handler, its requests counted by status and timed."""
        latency = self.latency.labels(route)

        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            status = 500
            try:
                response = await handler(request)
                status = response.status_code
                return response
            finally:
                latency.observe(time.perf_counter() - started)
                self.requests.labels(route, str(status)).inc()

        return endpoint
