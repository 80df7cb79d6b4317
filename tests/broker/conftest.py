"""Each service as its own broker user, in a virtual host of the test run's own. The
users, their permissions and the events exchange come from the definitions `make run`
and compose import; the virtual host and the users go when the module ends."""

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest_asyncio

from cbkit.broker import PUBLISHERS, Grant, definitions, with_user
from cbkit.settings import Settings, amqp_url_variable
from cbkit.testing import RunService, TestStack
from services import build

NAMESPACE = "brk"


@dataclass(frozen=True)
class BrokerUsers:
    vhost: str
    services: dict[str, Settings]
    """Each service's settings, connecting as its own user."""
    observer: Settings
    """guest in the virtual host, as the one who provisions it: it watches the exchange."""

    def url(self, service: str) -> str:
        return self.services[service].amqp_url


async def rabbitmqctl(*args: str, stdin: bytes | None = None) -> None:
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl", "-q", *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    await process.communicate(stdin)
    assert process.returncode == 0, f"rabbitmqctl {args[0]} failed"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def users(stack: TestStack) -> AsyncIterator[BrokerUsers]:
    vhost = f"{stack.prefix}{NAMESPACE}"
    guest = f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}"
    services = {}
    for name in PUBLISHERS:
        own = with_user(guest, stack.settings(name, NAMESPACE).queue, secrets.token_hex(16))
        services[name] = stack.settings(name, NAMESPACE, **{amqp_url_variable(name): own})
    grants = [Grant.of(settings) for settings in services.values()]
    document = definitions(grants, vhosts=True)
    document["permissions"].append(
        {"user": "guest", "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"}
    )
    await rabbitmqctl("import_definitions", "--format", "json", stdin=json.dumps(document).encode())
    try:
        observer = stack.settings("observer", NAMESPACE, CB_AMQP_URL=guest)
        yield BrokerUsers(vhost, services, observer)
    finally:
        await rabbitmqctl("delete_vhost", vhost)
        for grant in grants:
            await rabbitmqctl("delete_user", grant.user)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def running(
    users: BrokerUsers, run_service: RunService, stack: TestStack
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Every service in-process, each connected as its own user."""
    async with contextlib.AsyncExitStack() as started:
        clients = {}
        for name, settings in users.services.items():
            own = {**stack.env(NAMESPACE), amqp_url_variable(name): settings.amqp_url}
            clients[name] = await started.enter_async_context(run_service(build(name), **own))
        yield clients
