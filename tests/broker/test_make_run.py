"""`make run` gives each service a broker user of its own on the local broker, its
password kept in the git-ignored .dev-keys/, and each process sees only its own URL."""

import asyncio
from urllib.parse import urlsplit

import aio_pika

from cbkit import devrun
from cbkit.broker import PUBLISHERS
from cbkit.settings import amqp_url_variable, load_settings
from tests.broker.conftest import rabbitmqctl

SHARED = "amqp://guest:guest@127.0.0.1:5672/"


async def test_make_run_gives_each_service_a_broker_user_of_its_own(stack, tmp_path, monkeypatch):
    passwords = tmp_path / "broker-passwords.json"
    monkeypatch.setattr(devrun, "BROKER_PASSWORDS", passwords)
    env = stack.env("mkrun") | {"CB_AMQP_URL": SHARED}
    stack.settings("users", "mkrun")  # so the run's cleanup removes the events exchange
    urls = await asyncio.to_thread(devrun.own_broker_urls, env)
    try:
        assert sorted(urls) == sorted(amqp_url_variable(name) for name in PUBLISHERS)
        for name in PUBLISHERS:
            seen = devrun.process_env(name, env, urls)
            assert [k for k in seen if k.startswith("CB_AMQP_URL")] == [amqp_url_variable(name)]
            settings = load_settings(name, seen)
            assert urlsplit(settings.amqp_url).username == settings.queue
            await (await aio_pika.connect(settings.amqp_url)).close()
        assert passwords.stat().st_mode & 0o777 == 0o600
        again = await asyncio.to_thread(devrun.own_broker_urls, env)
        assert again == urls, "a second start keeps the passwords"
    finally:
        for name in PUBLISHERS:
            await rabbitmqctl("delete_user", load_settings(name, env).queue)


def test_without_rabbitmqctl_make_run_warns_and_the_services_share_the_url(capsys):
    remote = {"CB_AMQP_URL": "amqp://creditbank:pw@mq.example.org:5672/"}
    assert devrun.own_broker_urls(remote) == {}
    assert "warning: RabbitMQ on mq.example.org is not on this host" in capsys.readouterr().err
    assert devrun.process_env("outcomes", remote, {}) == remote


def test_the_gateway_sees_no_broker_url_at_all():
    urls = {amqp_url_variable(name): f"amqp://{name}:pw@127.0.0.1/" for name in PUBLISHERS}
    seen = devrun.process_env("gateway", {"CB_AMQP_URL": SHARED}, urls)
    assert not any(variable.startswith("CB_AMQP_URL") for variable in seen)
