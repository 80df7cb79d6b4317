"""`make run`: check PostgreSQL and RabbitMQ, start every service and the gateway
in the foreground, print where each listens, and stop them all on Ctrl-C."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time

import aio_pika
import asyncpg
import httpx

from cbkit.settings import DEFAULT_PORTS, load_settings

SERVICES = ["accounts", "outcomes", "certification", "conversion"]
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


def _components() -> list[str]:
    names = list(SERVICES)
    if importlib.util.find_spec("gateway.__main__") is not None:
        names.append("gateway")
    return names


def _module(name: str) -> str:
    return "gateway" if name == "gateway" else f"services.{name}"


async def _wait_ready(name: str, process: subprocess.Popen[bytes]) -> None:
    url = f"http://127.0.0.1:{DEFAULT_PORTS[name]}/healthz"
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
    try:
        for name in _components():
            processes[name] = subprocess.Popen([sys.executable, "-m", _module(name)], env=env)
        for name, process in processes.items():
            asyncio.run(_wait_ready(name, process))
        if importlib.util.find_spec("services.conversion.demo") is not None:
            subprocess.run([sys.executable, "-m", "services.conversion.demo"], env=env, check=True)
        _print_welcome(processes)
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


def _print_welcome(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    print("\nCredit Bank is running:")
    for name in processes:
        print(f"  {name:<14} http://127.0.0.1:{DEFAULT_PORTS[name]}/graphql")
    print(f"\nAdmin: {DEV_ENV['CB_ADMIN_EMAIL']} / {DEV_ENV['CB_ADMIN_PASSWORD']}")
    entry = DEFAULT_PORTS["gateway" if "gateway" in processes else "conversion"]
    print("Try:")
    print(
        f"  curl -s http://127.0.0.1:{entry}/graphql -H 'content-type: application/json' \\\n"
        """    -d '{"query": "{ majors { code name } }"}'"""
    )
    print("Ctrl-C stops everything.")


if __name__ == "__main__":
    main()
