"""docker-compose.yml cannot run here (no Docker engine), so it is checked by reading:
it must describe the same processes and settings that `make run` starts."""

import re
from pathlib import Path

import yaml

from services import SERVICES, build

ROOT = Path(__file__).parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_only_the_gateway_and_the_broker_console_publish_ports():
    published = {name for name, spec in COMPOSE.items() if spec.get("ports")}
    assert published == {"gateway", "rabbitmq"}


def test_each_service_runs_the_module_make_run_runs_and_reports_its_health():
    for name in SERVICES:
        assert COMPOSE[name]["command"] == ["python", "-m", f"services.{name}"]
        assert COMPOSE[name]["healthcheck"]["test"][-1] == name
        waits_for = COMPOSE[name]["depends_on"]
        assert waits_for["postgres"] == waits_for["rabbitmq"] == {"condition": "service_healthy"}
    assert COMPOSE["gateway"]["command"] == ["python", "-m", "gateway"]
    assert set(COMPOSE["gateway"]["depends_on"]) == set(SERVICES)


def test_each_development_seed_is_loaded_as_make_run_loads_it():
    seeded = {name for name in SERVICES if build(name).seed}
    assert seeded, "the demo catalog is a development seed"
    for name in seeded:
        loader = COMPOSE[f"{name}-seed"]
        assert loader["command"] == ["python", "-m", f"services.{name}", "seed"]
        assert loader["depends_on"] == {name: {"condition": "service_healthy"}}


def test_every_variable_compose_sets_is_one_the_code_reads():
    code = [p for d in ("cbkit", "services", "gateway") for p in (ROOT / d).rglob("*.py")]
    source = "\n".join(p.read_text() for p in code)
    for name, spec in COMPOSE.items():
        for variable in spec.get("environment", {}):
            if variable.startswith("CB_SUBGRAPH_URL_"):
                variable = "CB_SUBGRAPH_URL_"
            if variable.startswith("CB_"):
                assert variable in source, f"{name} sets {variable}, which no code reads"


def test_the_image_is_the_python_the_project_pins():
    dockerfile = (ROOT / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"^FROM python:3\.11", dockerfile, re.M)
    assert 'requires-python = ">=3.11,<3.12"' in pyproject
