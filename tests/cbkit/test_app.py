"""What ops see of any service: liveness, readiness, metrics and request ids."""

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import strawberry

from cbkit.app import Runtime, ServiceSpec
from cbkit.graphql import subgraph_extensions


@strawberry.type
class Query:
    @strawberry.field
    def ping(self) -> str:
        return "pong"


@contextlib.asynccontextmanager
async def no_dependencies(runtime: Runtime[None]) -> AsyncIterator[None]:
    yield None


SPEC: ServiceSpec[None] = ServiceSpec(
    name="probe",
    port=0,
    schema=strawberry.federation.Schema(query=Query, extensions=subgraph_extensions()),
    migrations=Path(__file__).parent / "no-migrations",
    dependencies=no_dependencies,
)


async def test_a_service_reports_alive_ready_and_its_metrics(run_service):
    async with run_service(SPEC) as client:
        assert (await client.get("/healthz")).json() == {"status": "alive"}
        assert (await client.get("/readyz")).json() == {"database": True, "broker": True}
        answer = await client.post("/graphql", json={"query": "{ ping }"})
        assert answer.json() == {"data": {"ping": "pong"}}
        metrics = (await client.get("/metrics")).text
        assert 'http_requests_total{path="/graphql",service="probe",status="200"}' in metrics


async def test_a_request_keeps_the_id_it_was_sent_with_or_gets_one(run_service):
    async with run_service(SPEC) as client:
        sent = await client.get("/healthz", headers={"X-Request-Id": "req-42"})
        assert sent.headers["x-request-id"] == "req-42"
        fresh = await client.get("/healthz")
        assert len(fresh.headers["x-request-id"]) == 32
