"""`make run`: check PostgreSQL and RabbitMQ, give each service its own broker user,
start the SMTP sink the notifications service sends e-mail to (unless CB_SMTP_URL names
a server), start every service and the gateway in the foreground, load each service's
development seed, print where each listens and where the e-mails are, and stop them all
on Ctrl-C.

`make run REPLICAS="conversion=3 certification=2"` starts that many processes of those
services, each on a port of its own (the service's port, then +100, +200, ...), and
gives the gateway all their URLs (CB_SUBGRAPH_URL_<NAME>=url1,url2,...), which it
balances over (gateway/upstreams.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import httpx

from cbkit.app import ServiceSpec
from cbkit.broker import PUBLISHERS, Grant, definitions, with_user
from cbkit.settings import Settings, amqp_url_variable, load_settings
from gateway.edge.config import DEFAULT_PORT as GATEWAY_PORT
from services import SERVICES, build

if TYPE_CHECKING:
    from cbkit.mailsink import MailSink

TRUSTED_DOCUMENTS = Path(__file__).resolve().parents[1] / "web/src/gql/persisted-documents.json"
"""The portal's operations (GraphQL Code Generator's manifest): the only ones the gateway
runs for the portal's browser clients (gateway/edge/trusted.py)."""

DEV_ENV = {
    "CB_ENV": "development",
    "CB_TRUSTED_DOCUMENTS": str(TRUSTED_DOCUMENTS),
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


# Development containers on this host's loopback: docker-compose.yml is the production
# shape and publishes nothing but the gateway.
DEV_CONTAINERS = {
    "PostgreSQL": (
        "creditbank-dev-postgres",
        ["-p", "127.0.0.1:5432:5432", "-e", "POSTGRES_HOST_AUTH_METHOD=trust", "postgres:15"],
    ),
    "RabbitMQ": ("creditbank-dev-rabbitmq", ["-p", "127.0.0.1:5672:5672", "rabbitmq:3.10"]),
}


def _ensure_infrastructure() -> None:
    missing = [name for name, ok in asyncio.run(_reachable()).items() if not ok]
    if not missing:
        return
    if _docker_available():
        print(f"{' and '.join(missing)} not answering: starting them in Docker")
        for name in missing:
            container, arguments = DEV_CONTAINERS[name]
            if subprocess.run(["docker", "start", container], capture_output=True).returncode:
                subprocess.run(["docker", "run", "-d", "--name", container, *arguments], check=True)
        for _ in range(60):
            if all(asyncio.run(_reachable()).values()):
                return
            time.sleep(1)
        raise SystemExit(f"{' and '.join(missing)} did not answer within a minute")
    print(f"{' and '.join(missing)} not answering, and Docker is not available.", file=sys.stderr)
    print(
        "  PostgreSQL: pg_ctlcluster <version> main start (or set CB_POSTGRES_URL)", file=sys.stderr
    )
    print("  RabbitMQ:   rabbitmq-server -detached (or set CB_AMQP_URL)", file=sys.stderr)
    raise SystemExit(1)


BROKER_PASSWORDS = Path(".dev-keys/broker-passwords.json")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def own_broker_urls(env: dict[str, str]) -> dict[str, str]:
    """CB_AMQP_URL_<SERVICE> for each service that was given none: its own user on the
    local broker, created (its password renewed) with rabbitmqctl. Empty, after a
    warning, when rabbitmqctl cannot reach that broker: the services share CB_AMQP_URL."""
    shared = load_settings("devrun", env).amqp_url
    names = [name for name in PUBLISHERS if not env.get(amqp_url_variable(name))]
    if not names:
        return {}
    rabbitmqctl, why_not = _rabbitmqctl(shared)
    if rabbitmqctl is None:
        print(f"warning: {why_not}; the services share CB_AMQP_URL's user", file=sys.stderr)
        return {}
    passwords = _dev_passwords(names)
    urls = {
        amqp_url_variable(name): with_user(shared, load_settings(name, env).queue, passwords[name])
        for name in names
    }
    services = [load_settings(name, {**env, **urls}) for name in names]
    grants = [Grant.of(settings) for settings in services]
    _drop_queues_of_the_shared_dead_letter_layout(rabbitmqctl, grants[0].vhost, services)
    document = json.dumps(definitions(grants, vhosts=False)).encode()
    _run(rabbitmqctl, "import_definitions", "--format", "json", stdin=document)
    return urls


def _rabbitmqctl(url: str) -> tuple[list[str] | None, str]:
    """The rabbitmqctl that manages the broker at `url` (a local one, or the development
    container's), or None and why there is none."""
    if urlsplit(url).hostname not in LOOPBACK:
        return None, f"RabbitMQ on {urlsplit(url).hostname} is not on this host"
    container = DEV_CONTAINERS["RabbitMQ"][0]
    for command in (["rabbitmqctl"], ["docker", "exec", "-i", container, "rabbitmqctl"]):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            status = subprocess.run([*command, "-q", "status"], capture_output=True, timeout=60)
            if status.returncode == 0:
                return command, ""
    return None, "rabbitmqctl cannot reach the local RabbitMQ (it needs the broker's Erlang cookie)"


def _run(rabbitmqctl: list[str], *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run([*rabbitmqctl, "-q", *args], input=stdin, capture_output=True)
    if done.returncode:
        raise SystemExit(f"rabbitmqctl {args[0]} failed: {done.stderr.decode().strip()}")
    return done.stdout.decode()


def _dev_passwords(names: list[str]) -> dict[str, str]:
    """Each service's broker password, generated once into the git-ignored .dev-keys/."""
    passwords = json.loads(BROKER_PASSWORDS.read_text()) if BROKER_PASSWORDS.exists() else {}
    if missing := [name for name in names if name not in passwords]:
        passwords |= {name: secrets.token_hex(24) for name in missing}
        BROKER_PASSWORDS.parent.mkdir(mode=0o700, exist_ok=True)
        BROKER_PASSWORDS.touch(mode=0o600)
        BROKER_PASSWORDS.write_text(json.dumps(passwords, indent=2))
    return {name: passwords[name] for name in names}


def _drop_queues_of_the_shared_dead_letter_layout(
    rabbitmqctl: list[str], vhost: str, services: list[Settings]
) -> None:
    """A queue declared when every service dead-lettered to one shared exchange: declared
    again with the service's own, the broker would refuse it. An empty one is deleted (its
    service declares it again); one holding messages stops the start, saying what to do."""
    listing = ("list_queues", "-p", vhost, "name", "arguments", "messages", "--formatter", "json")
    queues = {queue["name"]: queue for queue in json.loads(_run(rabbitmqctl, *listing))}
    for settings in services:
        queue = queues.get(settings.queue, {"arguments": [], "messages": 0})
        arguments = {name: value for name, _, value in queue["arguments"]}
        dead_letters = arguments.get("x-dead-letter-exchange", settings.dead_letter_exchange)
        if dead_letters == settings.dead_letter_exchange:
            continue
        if queue["messages"]:
            raise SystemExit(
                f"{settings.queue} holds {queue['messages']} messages and dead-letters to"
                f" {dead_letters}, not {settings.dead_letter_exchange}: let them be consumed"
                f" or purge them (rabbitmqctl purge_queue {settings.queue}), then run again."
            )
        _run(rabbitmqctl, "delete_queue", "-p", vhost, settings.queue)
        print(f"Deleted the empty queue {settings.queue} of the shared dead-letter layout.")


def process_env(name: str, env: dict[str, str], own_urls: dict[str, str]) -> dict[str, str]:
    """A process sees its own broker URL, no other service's, nor the shared one."""
    if not own_urls:
        return env
    others = {k: v for k, v in env.items() if k != "CB_AMQP_URL" and k not in own_urls}
    own = amqp_url_variable(name)
    return others | ({own: own_urls[own]} if own in own_urls else {})


MAIL_SERVICE = "notifications"
"""The service that sends e-mail, and alone gets CB_SMTP_URL."""


def _mail_sink(env: dict[str, str]) -> MailSink | None:
    """The development SMTP sink, listening; None when CB_SMTP_URL names a server already,
    or (after a warning) when its port is taken: then no e-mail is sent."""
    if env.get("CB_SMTP_URL"):
        return None
    from cbkit.mailsink import MailSink  # aiosmtpd: a development dependency

    sink = MailSink()
    try:
        sink.start()
    except (OSError, RuntimeError) as error:
        print(f"warning: no SMTP sink ({error}); no e-mail is sent", file=sys.stderr)
        return None
    return sink


REPLICA_PORT_STEP = 100
"""Replica n of a service listens on its port + n * 100."""


@dataclass(frozen=True)
class Process:
    """One process `make run` starts: a service's replica (0 for the first) or the gateway."""

    name: str
    replica: int
    port: int

    @property
    def label(self) -> str:
        return self.name if self.replica == 0 else f"{self.name}#{self.replica + 1}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def replica_counts(text: str) -> dict[str, int]:
    """`conversion=3 certification=2` (spaces or commas between): how many processes of
    each named service; SystemExit saying why when a part is not `<service>=<count>`."""
    counts = {}
    for part in text.replace(",", " ").split():
        name, _, count = part.partition("=")
        if name not in SERVICES:
            known = ", ".join(SERVICES)
            raise SystemExit(f"REPLICAS: {part!r} names no service (the services: {known})")
        if not count.isdigit() or not 1 <= int(count) <= 9:
            raise SystemExit(f"REPLICAS: {part!r} must give {name} 1 to 9 replicas")
        counts[name] = int(count)
    return counts


def _processes(counts: dict[str, int]) -> list[Process]:
    found = [
        Process(name, n, build(name).port + n * REPLICA_PORT_STEP)
        for name in SERVICES
        for n in range(counts.get(name, 1))
    ]
    return [*found, Process("gateway", 0, GATEWAY_PORT)]


def replica_urls(processes: list[Process]) -> dict[str, str]:
    """CB_SUBGRAPH_URL_<NAME> for each service with several replicas: all their URLs."""
    urls: dict[str, list[str]] = {}
    for process in processes:
        urls.setdefault(process.name, []).append(f"{process.url}/graphql")
    return {
        f"CB_SUBGRAPH_URL_{name.upper()}": ",".join(found)
        for name, found in urls.items()
        if len(found) > 1
    }


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


LAST = ("accounts", "gateway")
"""Started once the others answer: accounts announces its first admin as it starts, and
every queue that hears of accounts must exist by then (a service declares its queue as
it starts)."""


def _waves(planned: list[Process]) -> list[list[Process]]:
    """The processes in the order they start: the others, then accounts and the gateway."""
    return [
        [p for p in planned if p.name not in LAST],
        [p for p in planned if p.name in LAST],
    ]


def main() -> None:
    env = {**DEV_ENV, **os.environ}
    os.environ.update(env)
    planned = _processes(replica_counts(env.get("REPLICAS", "")))
    _ensure_infrastructure()
    own_urls = own_broker_urls(env)
    signal.signal(signal.SIGTERM, _interrupt)
    processes: dict[Process, subprocess.Popen[bytes]] = {}
    sink = _mail_sink(env)
    mail = {"CB_SMTP_URL": sink.url} if sink else {}
    try:
        for wave in _waves(planned):
            for planned_process in wave:
                processes[planned_process] = _start(planned_process, env, own_urls, mail, planned)
            for started in wave:
                asyncio.run(_wait_ready(started.label, started.port, processes[started]))
        seeded = [build(name) for name in SERVICES if build(name).seed]
        for spec in seeded:
            command = [sys.executable, "-m", _module(spec.name), "seed"]
            subprocess.run(command, env=process_env(spec.name, env, own_urls), check=True)
        _print_welcome(list(processes), seeded, sink)
        while all(p.poll() is None for p in processes.values()):
            time.sleep(1)
        stopped = [started.label for started, p in processes.items() if p.poll() is not None]
        print(f"{', '.join(stopped)} stopped; stopping the rest", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            process.terminate()  # each stops gracefully: requests answered, outbox sent
        for process in processes.values():
            process.wait(timeout=30)
        if sink:
            sink.stop()


def _start(
    process: Process,
    env: dict[str, str],
    own_urls: dict[str, str],
    mail: dict[str, str],
    planned: list[Process],
) -> subprocess.Popen[bytes]:
    own_env = process_env(process.name, env, own_urls)
    if process.name == MAIL_SERVICE:
        own_env = own_env | mail
    if process.name == "gateway":
        own_env = own_env | replica_urls(planned)
    else:
        own_env = own_env | {f"CB_{process.name.upper()}_PORT": str(process.port)}
    return subprocess.Popen([sys.executable, "-m", _module(process.name)], env=own_env)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print_welcome(
    processes: list[Process], seeded: list[ServiceSpec[object]], sink: MailSink | None
) -> None:
    print("\nCredit Bank is running:")
    print(f"  {'web portal':<14} http://127.0.0.1:{GATEWAY_PORT}/")
    for process in processes:
        print(f"  {process.label:<14} {process.url}/graphql")
    if sink:
        print(f"  {'e-mail':<14} {sink.url}: what is sent lands in {sink.directory.resolve()}/")
    elif os.environ.get("CB_SMTP_URL"):
        print(f"  {'e-mail':<14} sent to CB_SMTP_URL's server")
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
