"""deploy/prometheus/ and deploy/grafana/: the alert rules pass `promtool check rules` and
their unit tests (`promtool test rules`, each alert firing and not firing), every
expression of the rules and the dashboard parses and reads only metrics the code exports
(or RabbitMQ's plugin, or a recording rule), and the scrape configuration gives the
labels the rules group by."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY, CollectorRegistry

import cbkit.asgi
import cbkit.consumer
import cbkit.outbox
import services.certification.adapters.metrics
import services.notifications.adapters.smtp
from gateway.edge.metrics import GatewayMetrics

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS / "creditbank.rules.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "creditbank.json"
EXPORTERS = (
    cbkit.asgi,
    cbkit.consumer,
    cbkit.outbox,
    services.certification.adapters.metrics,
    services.notifications.adapters.smtp,
)
"""The modules whose metrics the rules read, registered on import in the default registry."""
RABBITMQ = (
    "rabbitmq_detailed_queue_messages",
    "rabbitmq_detailed_queue_messages_ready",
    "rabbitmq_detailed_queue_consumers",
)
"""The rabbitmq_prometheus plugin's per-queue figures (its /metrics/detailed families
queue_coarse_metrics and queue_consumer_count, scrape.yml)."""
KEYWORDS = {"and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "inf"}

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "promtool"], capture_output=True).returncode != 0,
    reason="promtool is missing: apt-get install prometheus (.ci/run does)",
)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, check=False
    )


def rules() -> list[dict[str, Any]]:
    return [
        rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]
    ]


def dashboard_expressions() -> list[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [target["expr"] for panel in panels for target in panel["targets"]]


def exported() -> set[str]:
    """The names of every series the services and the gateway export."""
    names = set()
    registries: list[CollectorRegistry] = [REGISTRY, GatewayMetrics().registry]
    for registry in registries:
        for metric in registry.collect():
            names |= {
                "counter": {f"{metric.name}_total"},
                "histogram": {f"{metric.name}_{s}" for s in ("bucket", "sum", "count")},
            }.get(metric.type, {metric.name})
    return names


def metric_names(expression: str) -> set[str]:
    """The metrics (and recording rules) a PromQL expression reads."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", expression)
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", bare)
    bare = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", bare)
    words = re.findall(r"(?<![\w.])([a-zA-Z_:][\w:]*)\b(?!\s*\()", bare)
    return {word for word in words if word not in KEYWORDS}


def test_the_rules_pass_promtools_check():
    checked = promtool("check", "rules", RULES.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(rules())} rules found" in checked.stdout


def test_each_alert_fires_and_stays_quiet_as_its_unit_tests_say():
    tested = promtool("test", "rules", "tests.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "SUCCESS" in tested.stdout


def test_every_alert_is_tested_firing_and_not_firing():
    cases = [
        case
        for test in yaml.safe_load((PROMETHEUS / "tests.yml").read_text())["tests"]
        for case in test["alert_rule_test"]
    ]
    for alert in (rule["alert"] for rule in rules() if "alert" in rule):
        mine = [case for case in cases if case["alertname"] == alert]
        assert any(case["exp_alerts"] for case in mine), f"{alert} is never tested firing"
        assert any(not case["exp_alerts"] for case in mine), f"{alert} is never tested quiet"


def test_every_expression_reads_only_metrics_that_exist():
    names = exported()
    assert {"cb_outbox_oldest_unsent_seconds", "cb_consumer_event_lag_seconds_bucket"} <= names
    assert "cb_gateway_requests_total" in names and "certification_overdue_cases" in names
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    known = names | recorded | set(RABBITMQ)
    for expression in [rule["expr"] for rule in rules()] + dashboard_expressions():
        read = metric_names(expression)
        assert read, expression
        assert read <= known, f"{expression} reads {sorted(read - known)}, which nothing exports"


def test_the_name_reader_finds_misspelt_metrics():
    assert metric_names('sum by (queue) (rate(cb_gateway_request_total{status=~"5.."}[5m]))') == {
        "cb_gateway_request_total"
    }
    assert metric_names("a:b:c > 0.95 and max(x offset 1d) >= 20") == {"a:b:c", "x"}


def test_every_dashboard_expression_parses(tmp_path: Path):
    expressions = dashboard_expressions()
    assert len(expressions) >= 10
    synthetic = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": f"dashboard:panel{n}", "expr": expression}
                    for n, expression in enumerate(expressions)
                ],
            }
        ]
    }
    (tmp_path / "dashboard.rules.yml").write_text(yaml.safe_dump(synthetic))
    checked = subprocess.run(
        ["promtool", "check", "rules", "dashboard.rules.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    wrong = {"groups": [{"name": "d", "rules": [{"record": "d:x", "expr": "sum(rate(x[5m])"}]}]}
    (tmp_path / "wrong.rules.yml").write_text(yaml.safe_dump(wrong))
    refused = subprocess.run(
        ["promtool", "check", "rules", "wrong.rules.yml"], cwd=tmp_path, capture_output=True
    )
    assert refused.returncode != 0  # the check does parse


def test_the_scrape_configuration_gives_the_labels_the_rules_group_by():
    scrape = yaml.safe_load((PROMETHEUS / "scrape.yml").read_text())
    [pods] = [job for job in scrape["scrape_configs"] if job["job_name"] == "creditbank"]
    targets = {
        relabel["target_label"]: relabel.get("source_labels")
        for relabel in pods["relabel_configs"]
        if "target_label" in relabel
    }
    assert targets["app"] == ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    assert {"namespace", "pod"} <= set(targets)
    grouped = {
        label.strip()
        for rule in rules()
        for labels in re.findall(r"\bby \(([^)]*)\)", rule["expr"])
        for label in labels.split(",")
    }
    series = {"le", "on_time", "queue", "vhost"}  # the series' own labels
    assert grouped - series <= set(targets), grouped
    [rabbitmq] = [j for j in scrape["scrape_configs"] if j["job_name"] == "creditbank-rabbitmq"]
    assert rabbitmq["metrics_path"] == "/metrics/detailed"
    assert rabbitmq["params"]["family"] == ["queue_coarse_metrics", "queue_consumer_count"]
