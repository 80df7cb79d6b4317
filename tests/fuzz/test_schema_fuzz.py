"""A property-based run over every query and mutation root field of the running
system, through the gateway, anonymously, as a learner and as an admin: whatever is
sent, the answer is never a 5xx nor an internal or downstream error. Bounded in time:
about 20 seconds per caller, shared evenly by the root fields. Subscriptions go over
a WebSocket and are not fuzzed here. The system is one of its own (`fuzzed_system`):
what admin mutations change must not reach other tests."""

import contextlib
import time
from dataclasses import dataclass

import httpx
import pytest
from graphql import GraphQLSchema
from hypothesis import HealthCheck, Phase, Verbosity, given, settings

from cbkit.testing import RunningSystem

from .strategies import operations, root_fields

SECONDS_PER_CALLER = 20.0
EXAMPLES_PER_FIELD = 40
FAULTS = {"INTERNAL_SERVER_ERROR", "DOWNSTREAM_SERVICE_ERROR"}


@dataclass(frozen=True)
class Finding:
    caller: str
    operation: str
    status: int
    answer: str

    def __str__(self) -> str:
        return f"{self.caller}: {self.operation}\n  -> HTTP {self.status} {self.answer[:300]}"


def faults(response: httpx.Response) -> bool:
    """A 5xx, or an error that is the system's fault rather than the caller's."""
    if response.status_code >= 500:
        return True
    try:
        errors = response.json().get("errors") or []
    except ValueError:
        return False
    return any((e.get("extensions") or {}).get("code") in FAULTS for e in errors)


class _OutOfTime(Exception):
    """Ends a field's run when its share of the time is spent: hypothesis would
    otherwise go on generating its examples, unsent, for as long as that takes."""


def fuzz_field(
    send: httpx.Client, url: str, schema: GraphQLSchema, kind: str, name: str, seconds: float
) -> list[tuple[str, int, str]]:
    """Send generated operations on one root field for `seconds`; those answered with
    a fault."""
    found: list[tuple[str, int, str]] = []
    until = time.monotonic() + seconds

    @settings(
        max_examples=EXAMPLES_PER_FIELD,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @given(operations(schema, kind, name))
    def run(operation: str) -> None:
        if time.monotonic() > until:
            raise _OutOfTime
        response = send.post(url, json={"query": operation})
        if faults(response):
            found.append((operation, response.status_code, response.text))

    with contextlib.suppress(_OutOfTime):
        run()
    return found


@pytest.mark.parametrize("caller", ["anonymous", "learner", "admin"])
def test_no_generated_operation_meets_an_internal_error(
    caller: str,
    fuzzed_system: RunningSystem,
    api_schema: GraphQLSchema,
    tokens: dict[str, str | None],
) -> None:
    token = tokens[caller]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    fields = root_fields(api_schema)
    findings: list[Finding] = []
    with httpx.Client(headers=headers, timeout=15) as send:
        for kind, name in fields:
            seconds = SECONDS_PER_CALLER / len(fields)
            findings += [
                Finding(caller, *found)
                for found in fuzz_field(
                    send, fuzzed_system.gateway, api_schema, kind, name, seconds
                )
            ]
    assert not findings, "\n".join(str(f) for f in findings)
