"""`make run`: check PostgreSQL and RabbitMQ, start every service and the gateway
in the foreground, load each service's development seed, print where each listens,
and stop them all on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import aio_pika
import asyncpg
import httpx

from cbkit.app import ServiceSpec
from cbkit.settings import load_settings
from gateway.edge.config import DEFAULT_PORT as GATEWAY_PORT
from services import SERVICES, build

DEV_ENV = {
    "CB_ENV": "development",
    "CB_ADMIN_EMAIL": "admin@creditbank.local",
    "CB_ADMIN_PASSWORD": "admin-password-change-me",
}


async def _reachable() -> dict[str, bool]:
    settings = load_settings("devrun")
    found = {"PostgreSQL": True, "RabbitMQ": True}
    try:
        conn = await asyncpg.connect(f"{settings.postgres_url}/postgres", timeout=3)
        await conn.close()
    except (OSError, asyncpg.PostgresError, TimeoutError):
        found["PostgreSQL"] = False
    try:
        connection = await aio_pika.connect(settings.amqp_url, timeout=3)
        await connection.close()
    except (OSError, aio_pika.exceptions.AMQPError, TimeoutError):
        found["RabbitMQ"] = False
    return found


def _docker_available() -> bool:
    return bool(shutil.which("docker")) and (
        subprocess.run(["docker", "info"], capture_output=True).returncode == 0
    )


def _ensure_infrastructure() -> None:
    missing = [name for name, ok in asyncio.run(_reachable()).items() if not ok]
    if not missing:
        return
    if _docker_available():
        print(f"{' and '.join(missing)} not answering: starting them with docker compose")
        subprocess.run(
            ["docker", "compose", "up", "-d", "--wait", "postgres", "rabbitmq"], check=True
        )
        return
    print(f"{' and '.join(missing)} not answering, and Docker is not available.", file=sys.stderr)
    print(
        "  PostgreSQL: pg_ctlcluster <version> main start (or set CB_POSTGRES_URL)", file=sys.stderr
    )
    print("  RabbitMQ:   rabbitmq-server -detached (or set CB_AMQP_URL)", file=sys.stderr)
    raise SystemExit(1)


def _ports() -> dict[str, int]:
    return {**{name: build(name).port for name in SERVICES}, "gateway": GATEWAY_PORT}


def _module(name: str) -> str:
    return "gateway" if name == "gateway" else f"services.{name}"


async def _wait_ready(name: str, port: int, process: subprocess.Popen[bytes]) -> None:
    url = f"http://127.0.0.1:{port}/healthz"
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with code {process.returncode}")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{name} did not answer on {url}")


def main() -> None:
    env = {**DEV_ENV, **os.environ}
    os.environ.update(env)
    _ensure_infrastructure()
    signal.signal(signal.SIGTERM, _interrupt)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    ports = _ports()
    try:
        for name in ports:
            processes[name] = subprocess.Popen([sys.executable, "-m", _module(name)], env=env)
        for name, process in processes.items():
            asyncio.run(_wait_ready(name, ports[name], process))
        seeded = [build(name) for name in SERVICES if build(name).seed]
        for spec in seeded:
            subprocess.run([sys.executable, "-m", _module(spec.name), "seed"], env=env, check=True)
        _print_welcome(ports, seeded)
        while all(p.poll() is None for p in processes.values()):
            time.sleep(1)
        stopped = [name for name, p in processes.items() if p.poll() is not None]
        print(f"{', '.join(stopped)} stopped; stopping the rest", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=10)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print_welcome(ports: dict[str, int], seeded: list[ServiceSpec[object]]) -> None:
    print("\nCredit Bank is running:")
    for name, port in ports.items():
        print(f"  {name:<14} http://127.0.0.1:{port}/graphql")
    print(f"\nAdmin: {DEV_ENV['CB_ADMIN_EMAIL']} / {DEV_ENV['CB_ADMIN_PASSWORD']}")
    for spec in seeded:
        assert spec.seed is not None
        body = json.dumps({"query": spec.seed.example})
        print(f"Try ({spec.name}'s development data, through the gateway):")
        print(
            f"  curl -s http://127.0.0.1:{GATEWAY_PORT}/graphql"
            f" -H 'content-type: application/json' \\\n    -d '{body}'"
        )
    print("Ctrl-C stops everything.")


if __name__ == "__main__":
    main()
