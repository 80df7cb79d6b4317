"""deploy/kubernetes/: each overlay rendered by `kubectl kustomize` is valid against the
Kubernetes API schemas (kubernetes-validate) and KEDA's (tests/deploy/keda/), and holds
what a reviewer checks: probes, limits and a grace period on every process, only
variables the code reads, no secret in git, one autoscaler per Deployment, a network
policy for every pod, the README naming every Secret, and a migration Job that migrates."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cbkit.broker import PUBLISHERS, with_user
from cbkit.db import drop_database
from cbkit.settings import SettingsError, load_settings
from cbkit.vc.issuer import load_issuer_keys
from deploy.kubernetes import generate
from gateway.edge.config import load_gateway_settings
from services import SERVICES, build
from services.accounts.adapters.tokens import _signing_key as signing_key
from services.accounts.service import admin_credentials
from services.notifications.adapters.smtp import mailer

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAYS = ("development", "production")
KUBERNETES_VERSIONS = ("1.30.0", "1.32.0", "1.37.0")
"""The oldest release the manifests use features of (native sidecar-free, autoscaling/v2,
policy/v1), Debian's kubectl's, and the newest kubernetes-validate knows."""
KEDA = Path(__file__).parent / "keda"
KEDA_KINDS = ("ScaledObject", "TriggerAuthentication")
PROCESSES = ("gateway", *SERVICES)

Object = dict[str, Any]
HASH_SUFFIX = re.compile(r"-[bcdfghkmt2456789]{10}$")
"""What kustomize appends to a generated ConfigMap's or Secret's name (its alphabet has
no vowels, so no real name's last word is taken for one)."""


def unhashed(name: str) -> str:
    return HASH_SUFFIX.sub("", name)


def kustomize(directory: Path) -> list[Object]:
    done = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"kubectl kustomize {directory}: {done.stderr}"
    return [o for o in yaml.safe_load_all(done.stdout) if o]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Object]]:
    """Each overlay as `kubectl kustomize` renders it; development's after its
    make_secrets.py has written its git-ignored secrets (in a copy of the tree)."""
    copy = tmp_path_factory.mktemp("kubernetes") / "kubernetes"
    shutil.copytree(KUBERNETES, copy, ignore=shutil.ignore_patterns("secrets", "__pycache__"))
    secrets = copy / "development" / "secrets"
    make = [sys.executable, str(copy / "development" / "make_secrets.py"), str(secrets)]
    subprocess.run(make, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return {overlay: kustomize(copy / overlay) for overlay in OVERLAYS}


def of_kind(objects: list[Object], *kinds: str) -> list[Object]:
    return [o for o in objects if o["kind"] in kinds]


def named(objects: list[Object], kind: str, name: str) -> Object:
    [found] = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    return found


def pod_templates(objects: list[Object]) -> Iterator[tuple[str, Object]]:
    for o in of_kind(objects, "Deployment", "Job"):
        yield f"{o['kind']}/{o['metadata']['name']}", o["spec"]["template"]


def test_the_base_is_what_generate_writes():
    for name, objects in generate.documents().items():
        written = (KUBERNETES / "base" / name).read_text()
        assert written == generate.render(objects), (
            f"deploy/kubernetes/base/{name} is out of date:"
            " run .venv/bin/python -m deploy.kubernetes.generate"
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_is_valid_against_the_kubernetes_api(rendered, overlay, version):
    invalid = []
    for o in rendered[overlay]:
        if o["kind"] in KEDA_KINDS:
            continue
        try:
            kubernetes_validate.validate(o, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            invalid.append(f"{o['kind']}/{o['metadata']['name']}: {error.message}")
    assert invalid == []


def test_the_validator_refuses_what_the_api_would():
    """The schemas are really applied: a misspelt field and a wrong type are refused."""
    deployment = generate.deployment("accounts", "service", 4001, "/readyz")
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSecond"] = 5
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, "1.32.0", strict=True)
    service = generate.service("accounts", "service", 4001)
    service["spec"]["ports"][0]["port"] = "4001"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(service, "1.32.0", strict=True)


def keda_check(objects: list[Object]) -> subprocess.CompletedProcess[str]:
    if not (KEDA / "node_modules").exists():
        install = ["npm", "ci", "--prefix", str(KEDA), "--no-audit", "--no-fund"]
        subprocess.run(install, check=True, capture_output=True)
    return subprocess.run(
        ["node", str(KEDA / "validate.mjs")],
        input=json.dumps(objects),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_keda_objects_are_valid_against_kedas_schema(rendered, overlay):
    keda = of_kind(rendered[overlay], *KEDA_KINDS)
    assert len(of_kind(keda, "ScaledObject")) == len(SERVICES)
    checked = keda_check(keda)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": ok") == len(keda)


def test_kedas_schema_refuses_a_wrong_scaled_object():
    wrong = generate.scaled_object("accounts")
    wrong["spec"]["minReplicaCount"] = "two"
    del wrong["spec"]["triggers"][1]["type"]
    checked = keda_check([wrong])
    assert checked.returncode == 1
    assert "minReplicaCount must be integer" in checked.stdout
    assert "must have required property type" in checked.stdout


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_has_probes_limits_and_a_graceful_stop(rendered, overlay):
    deployments = of_kind(rendered[overlay], "Deployment")
    assert sorted(d["metadata"]["name"] for d in deployments) == sorted(PROCESSES)
    for deployment in deployments:
        pod = deployment["spec"]["template"]["spec"]
        assert pod["terminationGracePeriodSeconds"] == 30
        [container] = pod["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] in ("/readyz", "/healthz")
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    for name, template in pod_templates(rendered[overlay]):
        for container in template["spec"]["containers"]:
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, name
    services = [d for d in deployments if d["metadata"]["name"] != "gateway"]
    assert {
        d["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"]
        for d in services
    } == {"/readyz"}


def names_the_code_reads() -> tuple[set[str], set[str]]:
    """Every CB_* string constant in cbkit/, services/ and gateway/ (tests aside), and
    the prefixes among them (`CB_AMQP_URL_` of f"CB_AMQP_URL_{service.upper()}")."""
    names = set()
    for directory in ("cbkit", "services", "gateway"):
        for path in (ROOT / directory).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and re.fullmatch(r"CB_[A-Z0-9_]+", value):
                    names.add(value)
    prefixes = {n for n in names if n.endswith("_") and len(n) > len("CB_")}
    return names - prefixes, prefixes


def environment(objects: list[Object], template: Object) -> dict[str, str]:
    """Each variable a container gets, and where from."""
    found: dict[str, str] = {}
    [container] = template["spec"]["containers"]
    for source in container.get("envFrom", []):
        config = named(objects, "ConfigMap", source["configMapRef"]["name"])
        found |= {name: f"ConfigMap {config['metadata']['name']}" for name in config["data"]}
    for variable in container.get("env", []):
        secret = variable["valueFrom"]["secretKeyRef"]
        assert secret["key"] == variable["name"], "a Secret's key is the variable's name"
        found[variable["name"]] = f"Secret {unhashed(secret['name'])}"
    return found


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_variable_given_is_one_the_code_reads(rendered, overlay):
    names, prefixes = names_the_code_reads()
    assert "CB_POSTGRES_URL" in names and "CB_AMQP_URL_" in prefixes
    for where, template in pod_templates(rendered[overlay]):
        for variable in environment(rendered[overlay], template):
            prefix = next((p for p in prefixes if variable.startswith(p)), None)
            known = variable in names or (
                prefix is not None and variable.removeprefix(prefix).lower() in SERVICES
            )
            assert known, f"{where} gets {variable}, which no code reads"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_gets_what_compose_gives_it_and_no_other_services_secrets(rendered, overlay):
    objects = rendered[overlay]
    for name in PROCESSES:
        env = environment(objects, named(objects, "Deployment", name)["spec"]["template"])
        assert {"CB_ENV", "CB_HOST", "CB_JWKS_URL"} <= set(env)
        secrets = {source for source in env.values() if source.startswith("Secret")}
        allowed = {f"Secret creditbank-{name}", "Secret creditbank-credential-key"}
        assert secrets <= allowed, name
        if name != "gateway":
            assert env["CB_POSTGRES_URL"] == f"Secret creditbank-{name}"
            assert env[f"CB_AMQP_URL_{name.upper()}"] == f"Secret creditbank-{name}"
            port = named(objects, "Service", name)["spec"]["ports"][0]["port"]
            assert port == build(name).port
    gateway = environment(objects, named(objects, "Deployment", "gateway")["spec"]["template"])
    assert {f"CB_SUBGRAPH_URL_{s.upper()}" for s in SERVICES} <= set(gateway)
    assert gateway["CB_CREDENTIAL_KEY"] == "Secret creditbank-credential-key"


def test_no_secret_is_in_the_base_nor_the_production_overlay(rendered):
    base = kustomize(KUBERNETES / "base")
    for objects in (base, rendered["production"]):
        assert of_kind(objects, "Secret") == []
        for config in of_kind(objects, "ConfigMap"):
            for name, value in config["data"].items():
                assert not re.search(r"PASSWORD|PRIVATE_KEY|CREDENTIAL_KEY", name), name
                assert not re.search(r"://[^/@\s]*:[^/@\s]*@", value), f"{name} holds a login"
    # development's are generated from git-ignored files
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "deploy/kubernetes/development/secrets/accounts.env"],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0
    development = {s["metadata"]["name"] for s in of_kind(rendered["development"], "Secret")}
    assert {unhashed(name) for name in development} == secrets_referenced(rendered["production"])


def secrets_referenced(objects: list[Object]) -> set[str]:
    names = {"creditbank-keda-rabbitmq"}  # KEDA's TriggerAuthentication
    for _, template in pod_templates(objects):
        for variable in template["spec"]["containers"][0].get("env", []):
            names.add(variable["valueFrom"]["secretKeyRef"]["name"])
    return names


def test_the_readme_names_every_secret_and_key_ops_create(rendered):
    readme = (KUBERNETES / "README.md").read_text()
    keys: dict[str, set[str]] = {"creditbank-keda-rabbitmq": {"host"}}
    for _, template in pod_templates(rendered["production"]):
        for variable in template["spec"]["containers"][0].get("env", []):
            ref = variable["valueFrom"]["secretKeyRef"]
            keys.setdefault(ref["name"], set()).add(ref["key"])
    for secret, names in keys.items():
        [row] = [line for line in readme.splitlines() if line.startswith(f"| `{secret}` |")]
        for key in names:
            assert f"`{key}`" in row, f"README's row of {secret} does not name {key}"
    assert keys.keys() == secrets_referenced(rendered["production"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_one_autoscaler_and_each_targets_a_deployment(rendered, overlay):
    objects = rendered[overlay]
    targets = [
        h["spec"]["scaleTargetRef"]["name"] for h in of_kind(objects, "HorizontalPodAutoscaler")
    ]
    targets += [s["spec"]["scaleTargetRef"]["name"] for s in of_kind(objects, "ScaledObject")]
    deployments = sorted(d["metadata"]["name"] for d in of_kind(objects, "Deployment"))
    assert sorted(targets) == deployments  # each exactly once: KEDA's HPA and ours never meet
    for deployment in of_kind(objects, "Deployment"):
        assert "replicas" not in deployment["spec"], "an apply would undo the autoscaler"
    for scaled in of_kind(objects, "ScaledObject"):
        name = scaled["metadata"]["name"]
        by_type = {t["type"]: t for t in scaled["spec"]["triggers"]}
        assert set(by_type) == {"cpu", "rabbitmq"}
        assert by_type["rabbitmq"]["metadata"]["queueName"] == load_settings(name, {}).queue
        auth = by_type["rabbitmq"]["authenticationRef"]["name"]
        assert named(objects, "TriggerAuthentication", auth)
    for budget in of_kind(objects, "PodDisruptionBudget"):
        assert budget["spec"]["maxUnavailable"] == 1
    assert (
        sorted(b["metadata"]["name"] for b in of_kind(objects, "PodDisruptionBudget"))
        == deployments
    )


def selects(selector: Object, labels: dict[str, str]) -> bool:
    """Kubernetes' label selector semantics (matchLabels and matchExpressions)."""
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    return all(
        matches(e["key"], e["operator"], e.get("values", []), labels)
        for e in selector.get("matchExpressions", [])
    )


def matches(key: str, operator: str, values: list[str], labels: dict[str, str]) -> bool:
    if operator in ("In", "NotIn"):
        return (labels.get(key) in values) == (operator == "In")
    return (key in labels) == (operator == "Exists")


EXPECTED_POLICIES = {
    "gateway": {"default-deny", "dns", "gateway"},
    "accounts": {"default-deny", "dns", "services", "postgresql", "rabbitmq", "accounts-jwks"},
    "notifications": {
        "default-deny",
        "dns",
        "services",
        "postgresql",
        "rabbitmq",
        "notifications-outbound",
    },
    "migration": {"default-deny", "dns", "postgresql"},
    "service": {"default-deny", "dns", "services", "postgresql", "rabbitmq"},
}
"""Who may talk to whom: only the gateway from outside (the Ingress controller), each
service from the gateway (accounts' JWKS from the services too), each service out to
PostgreSQL, RabbitMQ, DNS and accounts' JWKS, notifications to the public internet (SMTP,
webhooks), a migration only to PostgreSQL; Prometheus scrapes from `monitoring`."""


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_select_every_pod_and_allow_only_what_it_needs(rendered, overlay):
    policies = of_kind(rendered[overlay], "NetworkPolicy")
    deny = named(rendered[overlay], "NetworkPolicy", "default-deny")["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    for where, template in pod_templates(rendered[overlay]):
        labels = template["metadata"]["labels"]
        name, component = labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"]
        applied = {
            p["metadata"]["name"] for p in policies if selects(p["spec"]["podSelector"], labels)
        }
        role = name if name in EXPECTED_POLICIES and component != "migration" else component
        assert applied == EXPECTED_POLICIES[role], where
    outside = [
        p["metadata"]["name"]
        for p in policies
        for rule in p["spec"].get("ingress", [])
        for peer in rule["from"]
        if peer.get("namespaceSelector", {})
        .get("matchLabels", {})
        .get("kubernetes.io/metadata.name")
        not in (None, "monitoring")
    ]
    assert outside == ["gateway"]  # the Ingress controller reaches the gateway alone


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_alone_is_exposed_by_an_ingress(rendered, overlay):
    [ingress] = of_kind(rendered[overlay], "Ingress")
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"gateway"}
    assert {s["spec"].get("type", "ClusterIP") for s in of_kind(rendered[overlay], "Service")} == {
        "ClusterIP"
    }


def test_the_migration_job_creates_and_migrates_a_services_database(rendered):
    """The Job's very command, against the real PostgreSQL, on a database of its own;
    a second run finds nothing to do."""
    [job] = [
        j for j in of_kind(rendered["production"], "Job") if "outcomes" in j["metadata"]["name"]
    ]
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command == ["python", generate.MIGRATE_SCRIPT, "outcomes"]
    prefix = f"k8s{uuid.uuid4().hex[:8]}"
    settings = load_settings("outcomes", {"CB_QUEUE_PREFIX": prefix})
    env = {**os.environ, "CB_QUEUE_PREFIX": prefix, "PYTHONPATH": str(ROOT), "CB_ENV": "test"}
    script = KUBERNETES / "base" / Path(generate.MIGRATE_SCRIPT).name
    try:
        for _ in range(2):
            done = subprocess.run(
                [sys.executable, str(script), "outcomes"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == "outcomes: database migrated"
        applied, outbox = asyncio.run(migrated(settings.database_url))
        files = [*(ROOT / "services/outcomes/migrations").glob("*.sql")]
        assert applied == len(files) + len([*(ROOT / "cbkit/migrations").glob("*.sql")])
        assert outbox
    finally:
        asyncio.run(drop_database(settings.postgres_url, settings.database))


async def migrated(database_url: str) -> tuple[int, bool]:
    """How many migrations the database records, and whether the outbox is there."""
    conn = await asyncpg.connect(database_url)
    try:
        applied = await conn.fetchval("SELECT count(*) FROM schema_migrations")
        return applied, await conn.fetchval("SELECT to_regclass('outbox') IS NOT NULL")
    finally:
        await conn.close()


def test_the_readme_gives_each_broker_user_the_event_types_it_publishes():
    readme = (KUBERNETES / "README.md").read_text()
    for service, types in PUBLISHERS.items():
        [row] = [line for line in readme.splitlines() if f"| `creditbank.{service}` |" in line]
        published = row.split("|")[2].strip()
        assert published == (", ".join(types) or "nothing (it only consumes)"), service


def production_values() -> dict[str, str]:
    """What ops put in the production Secrets: real-looking values, no placeholder."""
    key = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    values = {
        "CB_POSTGRES_URL": f"postgresql://creditbank:{secrets.token_hex(8)}@pg.internal:5432",
        "CB_ADMIN_EMAIL": "admin@credits.example.org",
        "CB_ADMIN_PASSWORD": secrets.token_hex(12),
        "CB_JWT_PRIVATE_KEY": key.decode(),
        "CB_CREDENTIAL_KEY": key.decode(),
        "CB_SMTP_URL": f"smtps://relay:{secrets.token_hex(8)}@smtp.example.org:465",
    }
    for name in SERVICES:
        url = with_user("amqp://rabbitmq:5672/", f"creditbank.{name}", secrets.token_hex(8))
        values[f"CB_AMQP_URL_{name.upper()}"] = url
    return values


def production_environment(objects: list[Object], name: str) -> dict[str, str]:
    """The variables the production Deployment `name` gives its process."""
    values = production_values()
    env = {}
    template = named(objects, "Deployment", name)["spec"]["template"]
    for variable, source in environment(objects, template).items():
        kind, where = source.split(" ")
        data = named(objects, "ConfigMap", where)["data"] if kind == "ConfigMap" else values
        env[variable] = data[variable]
    return env


def test_each_process_has_what_it_needs_to_start_in_production(rendered):
    """The settings each process reads at start accept exactly what its Deployment gives
    (with ops' Secrets filled in): no required variable is missing."""
    objects = rendered["production"]
    for name in SERVICES:
        settings = load_settings(name, production_environment(objects, name))
        assert settings.environment == "production" and settings.host == "0.0.0.0"
        assert settings.amqp_url.startswith(f"amqp://creditbank.{name}:")
    accounts = load_settings("accounts", production_environment(objects, "accounts"))
    assert admin_credentials(accounts)[0] == "admin@credits.example.org"
    assert signing_key(accounts) is not None
    notifications = load_settings("notifications", production_environment(objects, "notifications"))
    mail = mailer(notifications)
    assert mail is not None and "学分银行" in mail.sender
    issuer = load_issuer_keys(production_environment(objects, "conversion"))
    assert issuer.did == "did:web:credits.example.org"
    gateway = production_environment(objects, "gateway")
    assert gateway["CB_TRUSTED_DOCUMENTS"] == "/app/web/trusted-documents.json"  # the image's
    manifest = ROOT / "web/src/gql/persisted-documents.json"
    started = load_gateway_settings({**gateway, "CB_TRUSTED_DOCUMENTS": str(manifest)})
    assert set(started.subgraph_urls) == set(SERVICES)
    assert started.edge.issuer is not None and started.edge.issuer.did == issuer.did
    assert not started.edge.introspection


def test_a_process_missing_its_broker_url_would_not_start(rendered):
    env = production_environment(rendered["production"], "outcomes")
    del env["CB_AMQP_URL_OUTCOMES"]
    with pytest.raises(SettingsError, match="CB_AMQP_URL_OUTCOMES"):
        load_settings("outcomes", env)
