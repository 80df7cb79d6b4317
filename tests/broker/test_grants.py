"""Who may publish what is written once (cbkit.broker.PUBLISHERS) and agrees with
docs/events.md and with the services' event builders; a service reaches the broker with
a URL of its own, and production accepts no guest and no placeholder there."""

import importlib
import re
from pathlib import Path

import pytest

from cbkit.broker import PUBLISHERS, definitions, service_grants
from cbkit.settings import SettingsError, load_settings
from services import SERVICES

ROOT = Path(__file__).parent.parent.parent
PRODUCTION = {
    "CB_ENV": "production",
    "CB_POSTGRES_URL": "postgresql://db",
    "CB_JWKS_URL": "http://accounts/.well-known/jwks.json",
}


def test_the_publishers_are_the_services_with_the_types_docs_events_lists():
    documented: dict[str, list[str]] = {}
    table = (ROOT / "docs" / "events.md").read_text()
    for key, publisher in re.findall(r"^\| `([a-z_.]+)` \| (\w+) \|", table, re.M):
        documented.setdefault(publisher, []).append(key)
    # a service that only consumes (notifications) publishes no type
    assert documented == {service: list(keys) for service, keys in PUBLISHERS.items() if keys}
    assert sorted(PUBLISHERS) == sorted(SERVICES)


def test_each_published_type_has_its_builder_in_the_publishers_events():
    for service, keys in PUBLISHERS.items():
        events = importlib.import_module(f"services.{service}.events")
        for key in keys:
            assert callable(getattr(events, key.replace(".", "_"), None)), f"{service}: {key}"


def test_a_service_connects_with_its_own_url_else_the_shared_one():
    env = {
        "CB_AMQP_URL": "amqp://shared:pw@mq/",
        "CB_AMQP_URL_OUTCOMES": "amqp://outcomes:pw@mq/",
    }
    assert load_settings("outcomes", env).amqp_url == "amqp://outcomes:pw@mq/"
    assert load_settings("accounts", env).amqp_url == "amqp://shared:pw@mq/"


@pytest.mark.parametrize(
    ("variable", "url", "refusal"),
    [
        (
            "CB_AMQP_URL_ACCOUNTS",
            "amqp://guest:guest@mq/",
            "CB_AMQP_URL_ACCOUNTS connects as guest",
        ),
        ("CB_AMQP_URL", "amqp://accounts:change-me@mq/", "CB_AMQP_URL holds a placeholder"),
    ],
)
def test_production_refuses_guest_and_placeholder_broker_passwords(variable, url, refusal):
    with pytest.raises(SettingsError, match=refusal):
        load_settings("accounts", PRODUCTION | {variable: url})


def test_production_names_the_missing_broker_url():
    with pytest.raises(SettingsError, match=r"CB_AMQP_URL_ACCOUNTS \(or CB_AMQP_URL\) is required"):
        load_settings("accounts", PRODUCTION)


def test_the_definitions_give_each_services_url_user_its_grant_and_nothing_to_guest():
    urls = {f"CB_AMQP_URL_{s.upper()}": f"amqp://{s}:pw-{s}@mq:5672/" for s in PUBLISHERS}
    document = definitions(service_grants(PRODUCTION | urls), vhosts=True)
    assert [user["name"] for user in document["users"]] == list(PUBLISHERS)
    assert document["vhosts"] == [{"name": "/"}]
    outcomes = next(p for p in document["topic_permissions"] if p["user"] == "outcomes")
    assert outcomes["exchange"] == "creditbank.events"
    assert outcomes["write"] == r"^(outcome\.submitted|outcome\.resubmitted|outcome\.withdrawn)$"
    assert [e["name"] for e in document["exchanges"]] == ["creditbank.events"]
    del urls["CB_AMQP_URL_CONVERSION"]
    with pytest.raises(SettingsError, match="CB_AMQP_URL_CONVERSION is required"):
        service_grants(PRODUCTION | urls | {"CB_AMQP_URL": "amqp://shared:pw@mq/"})
