"""The Prometheus gauges of certification: what reviewers have waiting and how
often decisions meet their deadline."""

from __future__ import annotations

from prometheus_client import Gauge

from services.certification.domain import Counts

OPEN_CASES = Gauge("certification_open_cases", "Cases waiting on a reviewer")
OVERDUE_CASES = Gauge("certification_overdue_cases", "Open cases past their due date")
DECISIONS = Gauge("certification_decisions", "Decisions made, by whether on time", ["on_time"])
ON_TIME_SHARE = Gauge(
    "certification_decisions_on_time_ratio", "Share of decisions made by the due date"
)


def show(counts: Counts) -> None:
    OPEN_CASES.set(counts.open)
    OVERDUE_CASES.set(counts.overdue)
    DECISIONS.labels(on_time="true").set(counts.on_time)
    DECISIONS.labels(on_time="false").set(counts.decisions - counts.on_time)
    ON_TIME_SHARE.set(counts.on_time_share)
