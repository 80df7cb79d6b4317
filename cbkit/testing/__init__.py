"""Pytest plugin (`-p cbkit.testing`): real PostgreSQL and RabbitMQ under a prefix
unique to the test run, so tests never touch a running system and the reverse;
everything under the prefix is removed when the run ends.

pytest registers the fixtures it finds in this module's namespace, so every fixture is
imported here (`stack`, `run_service`, `running_system` and `_jwks_file` they need).
"""

from cbkit.testing.bus import Bus
from cbkit.testing.clients import Subscription, error_code, eventually, gql, handled, new_id
from cbkit.testing.services import (
    RunningSystem,
    RunService,
    free_port,
    healthy,
    run_service,
    running_system,
    serve_tcp,
    service_client,
    service_clock,
)
from cbkit.testing.stack import TestStack, _jwks_file, stack

__all__ = [
    "Bus",
    "RunService",
    "RunningSystem",
    "Subscription",
    "TestStack",
    "_jwks_file",
    "error_code",
    "eventually",
    "free_port",
    "gql",
    "handled",
    "healthy",
    "new_id",
    "run_service",
    "running_system",
    "serve_tcp",
    "service_client",
    "service_clock",
    "stack",
]
