"""The services, listed once: each `services.<name>.service.build()` makes its spec."""

from __future__ import annotations

import importlib
from typing import Any

from cbkit.app import ServiceSpec

SERVICES = ("accounts", "outcomes", "certification", "conversion", "notifications")


def build(name: str) -> ServiceSpec[Any]:
    spec: ServiceSpec[Any] = importlib.import_module(f"services.{name}.service").build()
    return spec
