"""Writes deploy/kubernetes/base/ from the code: one file per process (the gateway and
each service, with their ports, modules, queues and the secrets each reads) and one for
what they share (network policies, KEDA's broker credentials).

    .venv/bin/python -m deploy.kubernetes.generate

tests/deploy/test_kubernetes.py fails while the files differ from what this writes, so a
new service, port or setting reaches the manifests by running it. What each object is
for is in deploy/kubernetes/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from cbkit.settings import amqp_url_variable, load_settings
from gateway.edge.config import DEFAULT_PORT as GATEWAY_PORT
from services import SERVICES, build

BASE = Path(__file__).parent / "base"
HEADER = "# Written by deploy/kubernetes/generate.py from the code: edit that, then run it.\n"
IMAGE = "creditbank"
"""The Dockerfile's image; each overlay names its registry and tag."""
CONFIG = "creditbank"
"""The ConfigMap every process reads (kustomization.yaml's configMapGenerator)."""
CREDENTIAL_KEY = "creditbank-credential-key"
"""The Secret holding the credential signing key, read by conversion and the gateway."""
KEDA_AUTH = "rabbitmq-management"
MIGRATE_SCRIPT = "/opt/creditbank/migrate.py"
GRACE_SECONDS = 30
PRE_STOP_SECONDS = 5
"""Endpoints stop sending requests to a stopping pod a moment after it is told to stop:
it keeps serving this long before SIGTERM, then has the rest of the grace period."""
QUEUE_LENGTH_PER_REPLICA = 100
"""KEDA adds a replica per this many messages waiting in the service's queue."""
PUBLIC_TCP = {
    "cidr": "0.0.0.0/0",
    "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8"],
}

EXTRA_SECRETS = {
    "accounts": ("CB_ADMIN_EMAIL", "CB_ADMIN_PASSWORD", "CB_JWT_PRIVATE_KEY"),
    "notifications": ("CB_SMTP_URL",),
}
"""Secrets a service reads beyond its database and broker URLs (docker-compose.yml's)."""
CREDENTIAL_ISSUERS = ("conversion", "gateway")
"""Who reads CB_CREDENTIAL_KEY: conversion signs, the gateway publishes its DID document."""
OWN_CONFIG = ("gateway", "notifications")
"""Who reads a ConfigMap of its own besides the shared one (kustomization.yaml's)."""


def labels(name: str, component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/component": component}


def secret_env(secret: str, *names: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": name}}}
        for name in names
    ]


def env_of(name: str) -> list[dict[str, Any]]:
    """The variables a process reads from Secrets, each named (the rest come from the
    ConfigMaps): its own database and broker URLs, and its own secrets."""
    own = f"creditbank-{name}"
    env = []
    if name != "gateway":
        env += secret_env(own, "CB_POSTGRES_URL", amqp_url_variable(name))
    env += secret_env(own, *EXTRA_SECRETS.get(name, ()))
    if name in CREDENTIAL_ISSUERS:
        env += secret_env(CREDENTIAL_KEY, "CB_CREDENTIAL_KEY")
    return env


def env_from(name: str) -> list[dict[str, Any]]:
    configs = [CONFIG] + ([name] if name in OWN_CONFIG else [])
    return [{"configMapRef": {"name": config}} for config in configs]


def container(name: str, command: list[str], port: int | None) -> dict[str, Any]:
    """The process as compose runs it, read-only but /tmp, as the image's user."""
    return {
        "name": name,
        "image": IMAGE,
        "command": command,
        **({"ports": [{"name": "http", "containerPort": port}]} if port else {}),
        "envFrom": env_from(name),
        "env": env_of(name),
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }


def pod_spec(containers: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "automountServiceAccountToken": False,
        # the Dockerfile's `creditbank` user, by number so the kubelet can check it
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 1000,
            "runAsGroup": 1000,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": containers,
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
        **more,
    }


def probe(path: str, period: int, failures: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period,
        "timeoutSeconds": 3,
        "failureThreshold": failures,
    }


def deployment(name: str, component: str, port: int, ready: str) -> dict[str, Any]:
    main = container(
        name, ["python", "-m", "gateway" if name == "gateway" else f"services.{name}"], port
    )
    main |= {
        "resources": {
            "requests": {"cpu": "250m", "memory": "256Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        # a start migrates (a no-op after the Job) and connects: up to two minutes
        "startupProbe": probe("/healthz", 2, 60),
        "livenessProbe": probe("/healthz", 10, 3),
        "readinessProbe": probe(ready, 5, 2),
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", str(PRE_STOP_SECONDS)]}}},
    }
    template_labels = labels(name, component)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": template_labels},
        "spec": {
            # no replicas: the autoscaler owns the count (an apply would reset it)
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {
                    "labels": template_labels,
                    "annotations": {
                        "prometheus.io/scrape": "true",
                        "prometheus.io/port": str(port),
                        "prometheus.io/path": "/metrics",
                    },
                },
                "spec": pod_spec([main], terminationGracePeriodSeconds=GRACE_SECONDS),
            },
        },
    }


def service(name: str, component: str, port: int) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": labels(name, component)},
        "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": port, "targetPort": "http"}],
        },
    }


def disruption_budget(name: str, component: str) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "labels": labels(name, component)},
        "spec": {
            "maxUnavailable": 1,
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
        },
    }


def migration_job(name: str) -> dict[str, Any]:
    """Creates and migrates the service's database, then exits; run before the rollout."""
    migrate = container(name, ["python", MIGRATE_SCRIPT, name], None)
    migrate["name"] = "migrate"
    # only what finds its database: the shared settings, its database and broker URLs
    migrate["envFrom"] = env_from("migrate")
    migrate["env"] = secret_env(f"creditbank-{name}", "CB_POSTGRES_URL", amqp_url_variable(name))
    migrate["volumeMounts"].append(
        {"name": "migrate", "mountPath": str(Path(MIGRATE_SCRIPT).parent), "readOnly": True}
    )
    migrate["resources"] = {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"cpu": "500m", "memory": "256Mi"},
    }
    spec = pod_spec([migrate], restartPolicy="Never")
    spec["volumes"].append({"name": "migrate", "configMap": {"name": "creditbank-migrate"}})
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": f"{name}-migrate", "labels": labels(name, "migration")},
        "spec": {
            "backoffLimit": 2,
            "activeDeadlineSeconds": 900,
            "template": {"metadata": {"labels": labels(name, "migration")}, "spec": spec},
        },
    }


def scaled_object(name: str) -> dict[str, Any]:
    """One scaler for the service's one Deployment: CPU for its HTTP side, its queue's
    length for its consumer (KEDA makes the HorizontalPodAutoscaler of both)."""
    queue = load_settings(name, {}).queue
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": name, "labels": labels(name, "service")},
        "spec": {
            "scaleTargetRef": {"name": name},
            "minReplicaCount": 2,
            "maxReplicaCount": 10,
            "cooldownPeriod": 300,
            "triggers": [
                {"type": "cpu", "metricType": "Utilization", "metadata": {"value": "70"}},
                {
                    "type": "rabbitmq",
                    "metadata": {
                        "protocol": "http",
                        "vhostName": "/",
                        "queueName": queue,
                        "mode": "QueueLength",
                        "value": str(QUEUE_LENGTH_PER_REPLICA),
                    },
                    "authenticationRef": {"name": KEDA_AUTH},
                },
            ],
        },
    }


def gateway_objects() -> list[dict[str, Any]]:
    name, component = "gateway", "gateway"
    autoscaler = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "labels": labels(name, component)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300}},
        },
    }
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": name,
            "labels": labels(name, component),
            "annotations": {
                # evidence files are up to 10 MiB; subscriptions hold their socket open
                "nginx.ingress.kubernetes.io/proxy-body-size": "11m",
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
            },
        },
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["credits.example.org"], "secretName": "creditbank-tls"}],
            "rules": [
                {
                    "host": "credits.example.org",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": name, "port": {"name": "http"}}},
                            }
                        ]
                    },
                }
            ],
        },
    }
    # readiness on /healthz: the gateway's /readyz is 503 while any one subgraph is down,
    # which would take every gateway out of the Ingress and fail what still works
    return [
        deployment(name, component, GATEWAY_PORT, "/healthz"),
        service(name, component, GATEWAY_PORT),
        disruption_budget(name, component),
        autoscaler,
        ingress,
    ]


def service_objects(name: str) -> list[dict[str, Any]]:
    port = build(name).port
    return [
        migration_job(name),
        deployment(name, "service", port, "/readyz"),
        service(name, "service", port),
        disruption_budget(name, "service"),
        scaled_object(name),
    ]


def peer(**match: str) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": match}}


def namespace(name: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": name}}}


def tcp(*ports: int) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port} for port in ports]


def policy(name: str, selector: dict[str, Any], **rules: Any) -> dict[str, Any]:
    types = [kind for kind in ("Ingress", "Egress") if kind.lower() in rules]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name},
        "spec": {"podSelector": selector, "policyTypes": types, **rules},
    }


def network_policies() -> list[dict[str, Any]]:
    """Nothing in or out but what is named here (see the README's table)."""
    ports = [build(name).port for name in SERVICES]
    services = {"matchLabels": {"app.kubernetes.io/component": "service"}}
    accounts = build("accounts").port
    monitoring = {"from": [namespace("monitoring")]}
    return [
        policy("default-deny", {}, ingress=[], egress=[]),
        policy(
            "dns",
            {},
            egress=[
                {
                    "to": [{**namespace("kube-system"), **peer(**{"k8s-app": "kube-dns"})}],
                    "ports": [{"protocol": p, "port": 53} for p in ("UDP", "TCP")],
                }
            ],
        ),
        policy(
            "gateway",
            {"matchLabels": labels("gateway", "gateway")},
            ingress=[
                {"from": [namespace("ingress-nginx")], "ports": tcp(GATEWAY_PORT)},
                {**monitoring, "ports": tcp(GATEWAY_PORT)},
            ],
            egress=[
                {"to": [peer(**{"app.kubernetes.io/component": "service"})], "ports": tcp(*ports)}
            ],
        ),
        policy(
            "services",
            services,
            ingress=[
                {"from": [peer(**{"app.kubernetes.io/name": "gateway"})], "ports": tcp(*ports)},
                {**monitoring, "ports": tcp(*ports)},
            ],
            # accounts' JWKS, which every service verifies tokens with
            egress=[
                {"to": [peer(**{"app.kubernetes.io/name": "accounts"})], "ports": tcp(accounts)}
            ],
        ),
        policy(
            "accounts-jwks",
            {"matchLabels": labels("accounts", "service")},
            ingress=[{"from": [{"podSelector": services}], "ports": tcp(accounts)}],
        ),
        policy(
            "postgresql",
            {
                "matchExpressions": [
                    {
                        "key": "app.kubernetes.io/component",
                        "operator": "In",
                        "values": ["service", "migration"],
                    }
                ]
            },
            # the managed PostgreSQL's addresses: each overlay names them
            egress=[{"to": [{"ipBlock": {"cidr": "192.0.2.0/24"}}], "ports": tcp(5432)}],
        ),
        policy(
            "rabbitmq",
            services,
            # the RabbitMQ Cluster Operator's RabbitmqCluster `creditbank-rabbitmq`
            egress=[
                {
                    "to": [
                        {
                            **namespace("rabbitmq"),
                            **peer(**{"app.kubernetes.io/name": "creditbank-rabbitmq"}),
                        }
                    ],
                    "ports": tcp(5672),
                }
            ],
        ),
        policy(
            "notifications-outbound",
            {"matchLabels": labels("notifications", "service")},
            # e-mail to the SMTP relay, and webhooks to institutions' public HTTPS
            # endpoints on any port (the service refuses private addresses itself)
            egress=[{"to": [{"ipBlock": PUBLIC_TCP}], "ports": [{"protocol": "TCP"}]}],
        ),
    ]


def keda_authentication() -> dict[str, Any]:
    """How KEDA reads queue lengths: RabbitMQ's management API as a `monitoring` user,
    its URL in the Secret ops create (deploy/kubernetes/README.md)."""
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "TriggerAuthentication",
        "metadata": {"name": KEDA_AUTH},
        "spec": {
            "secretTargetRef": [
                {"parameter": "host", "name": "creditbank-keda-rabbitmq", "key": "host"}
            ]
        },
    }


def documents() -> dict[str, list[dict[str, Any]]]:
    """Each base file's objects."""
    files = {"gateway.yaml": gateway_objects()}
    files |= {f"{name}.yaml": service_objects(name) for name in SERVICES}
    files["shared.yaml"] = [keda_authentication(), *network_policies()]
    return files


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # each object spelled out, as a reader expects


def render(objects: list[dict[str, Any]]) -> str:
    dumped = (
        yaml.dump(o, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        for o in objects
    )
    return HEADER + "---\n".join(dumped)


def main() -> None:
    for name, objects in documents().items():
        (BASE / name).write_text(render(objects))
    print(f"wrote {', '.join(documents())} in {BASE}", file=sys.stderr)


if __name__ == "__main__":
    main()
