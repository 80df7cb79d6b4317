"""The house: every service has the same fixed shape (docs/architecture.md), and its
layers import only downwards. A service that leaves the shape fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services import SERVICES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "service_layer", "repository", "schema", "adapters")
MODULES = ("__init__.py", "__main__.py", "service.py")
# events.py may grow into events/
EITHER = ("events",)
OTHER = ("migrations", "tests")
# what a layer of a service may import from the same service
MAY_IMPORT = {
    "domain": {"domain"},
    "repository": {"domain", "repository"},
    # a way out (calendar, tokens) is called by the service layer; a way in (HTTP
    # routes, the seed) calls it, as the schema does
    "adapters": {"domain", "repository", "adapters", "service_layer"},
    "service_layer": {"domain", "repository", "adapters", "service_layer", "events"},
    "events": {"domain", "service_layer", "events"},
    "schema": {"domain", "service_layer", "repository", "schema"},
}
# the domain is pure: no I/O, no GraphQL
DOMAIN_MAY_NOT_IMPORT = ("asyncpg", "aio_pika", "strawberry", "starlette", "httpx", "cbkit.db")


def _entries(service: str) -> set[str]:
    found = {p.name for p in (ROOT / "services" / service).iterdir()}
    return found - {"__pycache__"}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_has_the_fixed_shape_and_nothing_else(service):
    folder = ROOT / "services" / service
    expected = {*PACKAGES, *MODULES, *OTHER}
    assert _entries(service) - {"events.py", "events"} == expected
    assert (folder / "events.py").is_file() != (folder / "events").is_dir()
    for package in PACKAGES:
        assert (folder / package / "__init__.py").is_file(), f"{service}/{package} is a package"
    assert (folder / "domain" / "access.py").is_file(), f"{service} has one access policy"
    assert (folder / "service_layer" / "dependencies.py").is_file()
    assert sorted(p.suffix for p in (folder / "migrations").iterdir()) == [".sql"] * len(
        list((folder / "migrations").iterdir())
    )


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer_of(service: str, path: Path) -> str | None:
    relative = path.relative_to(ROOT / "services" / service).parts
    first = relative[0].removesuffix(".py")
    return first if first in MAY_IMPORT else None


@pytest.mark.parametrize("service", SERVICES)
def test_layers_import_downwards_and_no_service_imports_another(service):
    wrong = []
    for path in sorted((ROOT / "services" / service).rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts:
            continue
        layer = _layer_of(service, path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "services" and len(parts) > 1 and parts[1] != service:
                wrong.append(f"{path.relative_to(ROOT)} imports another service: {name}")
            own = parts[:2] == ["services", service] and len(parts) > 2
            if layer and own and parts[2] not in MAY_IMPORT[layer]:
                wrong.append(f"{path.relative_to(ROOT)} ({layer}) imports {name}")
            if layer == "domain" and name.startswith(DOMAIN_MAY_NOT_IMPORT):
                wrong.append(f"{path.relative_to(ROOT)} (domain) imports {name}")
    assert wrong == []


def test_the_service_list_names_every_service_folder():
    folders = {p.name for p in (ROOT / "services").iterdir() if (p / "service.py").exists()}
    assert folders == set(SERVICES)
