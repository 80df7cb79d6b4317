"""Evidence uploads under load: concurrent 1 MiB PDFs against the outcomes
service run by uvicorn in its own process, then oversized uploads refused.

    .venv/bin/python -m bench.upload [UPLOADS] [CONCURRENCY]

Reports throughput (MiB/s of file bytes stored), latency per upload, and the
server process's resident memory: at rest, sampled during the load, and its
high-water mark (VmHWM). Runs against the local PostgreSQL and RabbitMQ under
a throwaway prefix, removed afterwards. Goal: memory that does not grow with
the file size nor with the bytes refused (chunks of 512 KiB go to Postgres as
they arrive).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aio_pika
import httpx
import jwt
import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cbkit import db
from cbkit.auth import ALGORITHM, AUDIENCE, ISSUER, jwks, key_id
from cbkit.settings import load_settings

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


class Sampler:
    """Samples a process's RSS every few milliseconds while load runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, rss_kib(self.pid))
            await asyncio.sleep(0.005)

    def __enter__(self) -> Sampler:
        self.peak_kib = rss_kib(self.pid)
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task
        self._task.cancel()


def token(private_key: Ed25519PrivateKey, learner_id: str | None = None) -> str:
    """A learner's token for an hour (a new learner's unless `learner_id` is given)."""
    now = datetime.now(UTC)
    claims = {
        "sub": learner_id or str(uuid.uuid4()),
        "role": "LEARNER",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    kid = key_id(private_key.public_key())
    return jwt.encode(claims, private_key, ALGORITHM, headers={"kid": kid})


def pdf(size: int) -> bytes:
    head = b"%PDF-1.7\n%" + uuid.uuid4().hex.encode() + b"\n"
    return head + os.urandom(size - len(head))


async def upload_one(client: httpx.AsyncClient, bearer: str, content: bytes) -> float:
    started = time.perf_counter()
    response = await client.post(
        "/evidence",
        files={"file": ("certificate.pdf", content, "application/pdf")},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    if response.status_code != 201:
        raise RuntimeError(f"upload refused: {response.status_code} {response.text}")
    return time.perf_counter() - started


async def oversized(client: httpx.AsyncClient, bearer: str, size: int) -> str:
    """Stream `size` bytes without announcing a length; the outcome as seen by the client."""
    boundary = "bench-boundary"

    async def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"'
            "\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        ).encode()
        piece = b"\0" * (256 * 1024)
        for _ in range(size // len(piece)):
            yield piece
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {
        "Authorization": f"Bearer {bearer}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    try:
        response = await client.post("/evidence", content=body(), headers=headers)
        return str(response.status_code)
    except httpx.TransportError as exc:  # the server closed while we were still sending
        return type(exc).__name__


async def wait_ready(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the outcomes service exited during start-up")
        with contextlib.suppress(httpx.TransportError):
            if (await client.get("/readyz")).status_code == 200:
                return
        await asyncio.sleep(0.1)
    raise RuntimeError("the outcomes service did not become ready")


async def cleanup(prefix: str) -> None:
    env = {"CB_QUEUE_PREFIX": prefix, "CB_EXCHANGE": f"{prefix}.events"}
    settings = load_settings("outcomes", env)
    await db.drop_database(settings.postgres_url, settings.database)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in (settings.queue, settings.dead_letter_queue):
            await channel.queue_delete(queue)
        for exchange in (settings.exchange, settings.dead_letter_exchange):
            await channel.exchange_delete(exchange)


async def main(uploads: int, concurrency: int) -> None:
    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    private_key = Ed25519PrivateKey.generate()
    port = free_port()
    with tempfile.TemporaryDirectory() as keys:
        jwks_file = Path(keys) / "jwks.json"
        jwks_file.write_bytes(orjson.dumps(jwks(private_key.public_key())))
        env = {
            **os.environ,
            "CB_ENV": "development",
            "CB_QUEUE_PREFIX": prefix,
            "CB_EXCHANGE": f"{prefix}.events",
            "CB_JWT_PUBLIC_KEY_FILE": str(jwks_file),
            "CB_OUTCOMES_PORT": str(port),
            "CB_LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
            [sys.executable, "-m", "services.outcomes"], cwd=ROOT, env=env
        )
        try:
            limits = httpx.Limits(max_connections=concurrency)
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
            ) as client:
                await wait_ready(client, server)
                await run(client, server.pid, private_key, uploads, concurrency)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
            await cleanup(prefix)


async def run(
    client: httpx.AsyncClient,
    pid: int,
    private_key: Ed25519PrivateKey,
    uploads: int,
    concurrency: int,
) -> None:
    bearers = [token(private_key) for _ in range(concurrency)]
    await asyncio.gather(*(upload_one(client, b, pdf(MiB)) for b in bearers))  # warm up
    at_rest = rss_kib(pid)
    files = [pdf(MiB) for _ in range(uploads)]
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> float:
        async with gate:
            return await upload_one(client, bearers[i % concurrency], files[i])

    cpu_before = cpu_seconds(pid)
    with Sampler(pid) as sampled:
        started = time.perf_counter()
        latencies = sorted(await asyncio.gather(*(one(i) for i in range(uploads))))
        elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(f"{uploads} uploads of 1 MiB, {concurrency} at a time: {elapsed:.2f} s")
    print(f"  throughput {uploads / elapsed:.1f} MiB/s ({uploads / elapsed:.0f} uploads/s)")
    print(f"  server CPU {cpu:.2f} s ({cpu / uploads * 1000:.1f} ms per MiB)")
    print(f"  latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms")
    print(
        f"  server RSS at rest {at_rest / 1024:.1f} MiB, peak under load "
        f"{sampled.peak_kib / 1024:.1f} MiB, high-water mark {rss_kib(pid, 'VmHWM') / 1024:.1f} MiB"
    )

    refusals = min(concurrency, 8)
    with Sampler(pid) as sampled:
        started = time.perf_counter()
        seen = await asyncio.gather(
            *(oversized(client, bearers[i], 50 * MiB) for i in range(refusals))
        )
        elapsed = time.perf_counter() - started
    print(f"{refusals} concurrent 50 MiB uploads refused in {elapsed:.2f} s; client saw {seen}")
    print(
        f"  server RSS peak while refusing {sampled.peak_kib / 1024:.1f} MiB, "
        f"high-water mark {rss_kib(pid, 'VmHWM') / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    asyncio.run(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 500,
            int(sys.argv[2]) if len(sys.argv) > 2 else 16,
        )
    )
