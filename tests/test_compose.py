"""docker-compose.yml cannot run here (no Docker engine), so it is checked by reading:
it must describe the same processes and settings that `make run` starts, in production
mode, with secrets from the git-ignored .env that .env.example lists, each service on
the broker as its own user, and nothing but the gateway reachable from outside."""

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from cbkit.broker import PUBLISHERS, service_grants
from cbkit.settings import PLACEHOLDER_MARKERS, amqp_url_variable, load_settings
from services import SERVICES, build

ROOT = Path(__file__).parent.parent
TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(TEXT)["services"]
EXAMPLE = (ROOT / ".env.example").read_text()
INTERPOLATED = re.compile(r"\$\{(\w+)(:\?[^}]*)?\}")


def environment(name: str) -> dict[str, str]:
    return COMPOSE[name].get("environment", {})


def filled(name: str) -> dict[str, str]:
    """`name`'s environment as compose gives it, every secret from .env set."""
    return {k: INTERPOLATED.sub("a1b2c3", v) for k, v in environment(name).items()}


def test_only_the_gateway_publishes_a_port_and_the_broker_has_no_console():
    published = {name for name, spec in COMPOSE.items() if spec.get("ports") or spec.get("expose")}
    assert published == {"gateway"}
    assert "management" not in COMPOSE["rabbitmq"]["image"]
    assert "15672" not in TEXT


def test_everything_runs_in_production_mode():
    for name in (*SERVICES, "gateway", "broker-users", "conversion-seed"):
        assert environment(name)["CB_ENV"] == "production", name


def test_secrets_come_only_from_the_ignored_env_file_that_the_example_lists():
    used = {match[0] for match in INTERPOLATED.findall(TEXT)}
    listed = set(re.findall(r"^(CB_\w+)=", EXAMPLE, re.M))
    assert used == listed
    assert all(required for _, required in INTERPOLATED.findall(TEXT)), "a secret has a default"
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env must be git-ignored"
    assert "guest" not in TEXT


def test_the_example_holds_placeholders_that_production_refuses():
    for line in re.findall(r"^CB_\w+(?:PASSWORD|KEY)\w*=.*$", EXAMPLE, re.M):
        assert any(marker in line for marker in PLACEHOLDER_MARKERS), line


def test_each_service_connects_to_the_broker_as_its_own_user_and_no_other():
    for name in SERVICES:
        broker = {k: v for k, v in filled(name).items() if k.startswith("CB_AMQP_URL")}
        assert list(broker) == [amqp_url_variable(name)], name
        assert urlsplit(broker[amqp_url_variable(name)]).username == load_settings(name, {}).queue
    assert not any(k.startswith("CB_AMQP_URL") for k in environment("gateway"))


def test_the_broker_users_job_writes_each_services_user_from_the_url_it_gets():
    job = COMPOSE["broker-users"]
    assert job["command"][-3:] == ["cbkit.broker", "definitions", "/definitions/definitions.json"]
    for name in PUBLISHERS:
        variable = amqp_url_variable(name)
        assert environment("broker-users")[variable] == environment(name)[variable]
    users = [grant.user for grant in service_grants(filled("broker-users"))]
    assert users == [load_settings(name, {}).queue for name in PUBLISHERS]


def test_the_broker_imports_those_users_at_boot_and_lets_guest_in_only_locally():
    rabbitmq = COMPOSE["rabbitmq"]
    done = {"condition": "service_completed_successfully"}
    assert rabbitmq["depends_on"] == {"broker-users": done}
    assert "brokerdefs:/definitions" in COMPOSE["broker-users"]["volumes"]
    assert "brokerdefs:/etc/rabbitmq/definitions:ro" in rabbitmq["volumes"]
    conf = "./deploy/rabbitmq.conf:/etc/rabbitmq/conf.d/20-creditbank.conf:ro"
    assert conf in rabbitmq["volumes"]
    text = (ROOT / "deploy" / "rabbitmq.conf").read_text()
    assert dict(re.findall(r"^(\S+) = (\S+)$", text, re.M)) == {
        "load_definitions": "/etc/rabbitmq/definitions/definitions.json",
        "loopback_users.guest": "true",
    }


def test_each_service_runs_the_module_make_run_runs_and_reports_its_health():
    for name in SERVICES:
        assert COMPOSE[name]["command"] == ["python", "-m", f"services.{name}"]
        assert COMPOSE[name]["healthcheck"]["test"][-1] == name
        waits_for = COMPOSE[name]["depends_on"]
        assert waits_for["postgres"] == waits_for["rabbitmq"] == {"condition": "service_healthy"}
    assert COMPOSE["gateway"]["command"] == ["python", "-m", "gateway"]
    assert set(COMPOSE["gateway"]["depends_on"]) == set(SERVICES)


def test_each_development_seed_is_loaded_on_demand_as_make_run_loads_it():
    seeded = {name for name in SERVICES if build(name).seed}
    assert seeded, "the demo catalog is a development seed"
    for name in seeded:
        loader = COMPOSE[f"{name}-seed"]
        assert loader["command"] == ["python", "-m", f"services.{name}", "seed"]
        assert loader["depends_on"] == {name: {"condition": "service_healthy"}}
        assert loader["profiles"] == ["demo"]


def test_every_variable_compose_sets_is_one_the_code_reads():
    code = [p for d in ("cbkit", "services", "gateway") for p in (ROOT / d).rglob("*.py")]
    source = "\n".join(p.read_text() for p in code)
    for name, spec in COMPOSE.items():
        for variable in spec.get("environment", {}):
            for prefix in ("CB_SUBGRAPH_URL_", "CB_AMQP_URL_"):
                if variable.startswith(prefix):
                    variable = prefix
            if variable.startswith("CB_"):
                assert variable in source, f"{name} sets {variable}, which no code reads"


def test_the_image_is_the_python_the_project_pins():
    dockerfile = (ROOT / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.M)
    assert 'requires-python = ">=3.11,<3.12"' in pyproject


def test_the_image_builds_and_serves_the_portal_with_its_trusted_documents():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "RUN npm run typecheck && npm run build" in dockerfile  # make web's build
    assert "COPY --from=portal /app/web/dist ./web/dist" in dockerfile  # CB_PORTAL_DIR's default
    manifest = "/app/web/trusted-documents.json"
    assert f"persisted-documents.json .{manifest.removeprefix('/app')}" in dockerfile
    assert environment("gateway")["CB_TRUSTED_DOCUMENTS"] == manifest
    assert "CB_PORTAL_DIR" not in environment("gateway")
