"""Every variable a process reads is set, from a ConfigMap or a named Secret, and agrees with the operators'
resources it points at (databases, Kafka users, Keycloak clients); every Secret is created by an operator or
listed in docs/deploy.md."""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.k8s.conftest import DATABASE_OWNERS, PROCESSES, REPO, SERVICES, container_env, named, objects, pod_spec

OVERLAYS = ("dev", "prod")


def _documented_secrets() -> set[str]:
    """Secret names in the table of docs/deploy.md's section on secrets."""
    text = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = text.split("## Secrets an operator creates", 1)[1].split("\n## ", 1)[0]
    return {m.group(1) for m in re.finditer(r"^\| `([a-z0-9-]+)`", section, flags=re.M)}


def _generated_secrets(docs: list[dict[str, Any]]) -> set[str]:
    """Secrets the operators create: CloudNativePG (app user, CA), Strimzi (users, cluster CA)."""
    names = {f"{c['metadata']['name']}-{suffix}" for c in objects(docs, "Cluster") for suffix in ("app", "ca")}
    names |= {u["metadata"]["name"] for u in objects(docs, "KafkaUser")}
    names |= {f"{k['metadata']['name']}-cluster-ca-cert" for k in objects(docs, "Kafka")}
    return names


def _referenced_secrets(docs: list[dict[str, Any]]) -> set[str]:
    refs = set()
    for deployment in objects(docs, "Deployment"):
        spec = pod_spec(deployment)
        refs |= {v["secret"]["secretName"] for v in spec.get("volumes", []) if "secret" in v}
        for c in [*spec.get("initContainers", []), *spec["containers"]]:
            refs |= {e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", [])
                     if "secretKeyRef" in e.get("valueFrom", {})}
    refs |= {t["secretName"] for i in objects(docs, "Ingress") for t in i["spec"].get("tls", [])}
    for kc in objects(docs, "Keycloak"):
        refs |= {kc["spec"]["db"]["usernameSecret"]["name"], kc["spec"]["db"]["passwordSecret"]["name"],
                 kc["spec"]["bootstrapAdmin"]["user"]["secret"]}
    for realm in objects(docs, "KeycloakRealmImport"):
        refs |= {p["secret"]["name"] for p in realm["spec"].get("placeholders", {}).values()}
    for cluster in objects(docs, "Cluster"):
        creds = cluster["spec"].get("backup", {}).get("barmanObjectStore", {}).get("s3Credentials", {})
        refs |= {ref["name"] for ref in creds.values()}
    return refs


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_is_made_by_an_operator_or_listed_for_the_operator_to_create(rendered: dict[str, Any],
                                                                                 overlay: str) -> None:
    docs = rendered[overlay]
    referenced = _referenced_secrets(docs)
    documented = _documented_secrets()

    assert referenced - _generated_secrets(docs) - documented == set()
    if overlay == "prod":
        assert documented - referenced == set(), "docs/deploy.md lists secrets nothing uses"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_configmap_a_container_reads_exists(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    names = {c["metadata"]["name"] for c in objects(docs, "ConfigMap")}
    for deployment in objects(docs, "Deployment"):
        spec = pod_spec(deployment)
        for c in [*spec.get("initContainers", []), *spec["containers"]]:
            assert {s["configMapRef"]["name"] for s in c.get("envFrom", [])} <= names
        assert {v["configMap"]["name"] for v in spec.get("volumes", []) if "configMap" in v} <= names


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_process_gets_the_settings_it_needs_in_production(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    keycloak = objects(docs, "Keycloak")[0]
    for process in PROCESSES:
        app = pod_spec(named(docs, "Deployment", process))["containers"][0]
        env = container_env(docs, app)

        assert env["SAMLA_ENV"] == "production"
        assert env["SAMLA_AUTH"] == "oidc"
        assert env["OIDC_ISSUER"] == keycloak["spec"]["hostname"]["hostname"] + "/realms/samla"
        assert env["OIDC_AUDIENCE"] == "samla"
        assert env["SAMLA_CLIENT_SECRET"] == f"secret:samla-{process}-oidc/client-secret"
        assert env[f"SAMLA_{process.upper()}_HTTP_PORT"] == "8080"
        mounted = {m["mountPath"] for m in app["volumeMounts"]}
        for path_var in ("KAFKA_SSL_CAFILE", "PGSSLROOTCERT"):
            assert posixpath.dirname(env[path_var]) in mounted, (process, path_var)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_uses_its_own_database_cluster(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    for process in DATABASE_OWNERS:
        spec = pod_spec(named(docs, "Deployment", process))
        cluster = named(docs, "Cluster", f"samla-{process}-db")
        initdb = cluster["spec"]["bootstrap"]["initdb"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        for c in [*spec["initContainers"], *spec["containers"]]:
            env = container_env(docs, c)
            url = urlsplit(env[f"SAMLA_{process.upper()}_DATABASE_URL"])

            assert url.scheme == "postgresql+psycopg"
            assert url.password is None, "the password comes from PGPASSWORD, not the URL"
            assert (url.username, url.hostname, url.port) == (initdb["owner"], f"samla-{process}-db-rw", 5432)
            assert url.path == f"/{initdb['database']}"
            assert env["PGPASSWORD"] == f"secret:samla-{process}-db-app/password"
            assert env["PGSSLMODE"] == "verify-full"
            # libpq verifies the server against this cluster's own CA.
            [ca_mount] = [m for m in c["volumeMounts"] if m["mountPath"] == posixpath.dirname(env["PGSSLROOTCERT"])]
            assert volumes[ca_mount["name"]]["secret"]["secretName"] == f"samla-{process}-db-ca", (process, c["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_has_its_sessions_settings(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    spec = pod_spec(named(docs, "Deployment", "gateway"))
    for c in [*spec["initContainers"], *spec["containers"]]:
        env = container_env(docs, c)

        # Settings validation in production needs both, also in the migration container.
        assert env["SAMLA_GATEWAY_SESSION_KEY"] == "secret:samla-gateway-session/key", c["name"]
        assert urlsplit(env["SAMLA_GATEWAY_PUBLIC_URL"]).scheme == "https", c["name"]
        assert env["SAMLA_GATEWAY_MIGRATE_ON_START"] == "false", "the init container migrates"
    env = container_env(docs, spec["containers"][0])
    host, _, port = env["SAMLA_GATEWAY_IDENTITY_GRPC_TARGET"].rpartition(":")
    grpc_ports = {p["port"] for p in named(docs, "Service", host)["spec"]["ports"] if p["name"] == "grpc"}

    assert host == "identity" and int(port) in grpc_ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_gateway_routes_to_each_service_by_its_in_cluster_name(rendered: dict[str, Any],
                                                                   overlay: str) -> None:
    docs = rendered[overlay]
    env = container_env(docs, pod_spec(named(docs, "Deployment", "gateway"))["containers"][0])
    for service in SERVICES:
        url = urlsplit(env[f"SAMLA_GATEWAY_{service.upper()}_URL"])
        ports = {p["port"] for p in named(docs, "Service", url.hostname)["spec"]["ports"]}

        assert url.hostname == service
        assert url.port in ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_traces_go_to_the_collector_when_it_is_deployed(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    env = container_env(docs, pod_spec(named(docs, "Deployment", "identity"))["containers"][0])
    url = urlsplit(env["OTEL_EXPORTER_OTLP_ENDPOINT"])

    assert url.port in {p["port"] for p in named(docs, "Service", url.hostname)["spec"]["ports"]}


# The gateway's own paths the realm names (gateway/src/samla_gateway/auth/router.py, web/pages.py).
GATEWAY_ROUTES = {"callback": "/auth/callback", "signed_out": "/utloggad", "backchannel": "/auth/backchannel-logout"}


def test_the_gateway_serves_the_paths_the_realm_names() -> None:
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (REPO / "gateway" / "src" / "samla_gateway").rglob("*.py"))
    for path in GATEWAY_ROUTES.values():
        assert re.search(rf'\.(get|post)\(\s*"{re.escape(path)}"', source), path


def _realm(docs: list[dict[str, Any]]) -> dict[str, Any]:
    return objects(docs, "KeycloakRealmImport")[0]  # type: ignore[no-any-return]


def test_the_realm_has_samlas_roles_clients_and_token_claims(rendered: dict[str, Any]) -> None:
    realm_import = _realm(rendered["prod"])
    realm = realm_import["spec"]["realm"]
    scopes = {s["name"]: s for s in realm["clientScopes"]}
    clients = {c["clientId"]: c for c in realm["clients"]}
    roles = {r["name"] for r in realm["roles"]["realm"]}
    accounts = {u["serviceAccountClientId"]: u for u in realm["users"]}

    assert {"samla-admin", "samla-facilitator", "samla-leadership", "samla-service"} <= roles
    for client in clients.values():
        assert set(client["defaultClientScopes"]) | set(client.get("optionalClientScopes", [])) <= set(scopes)
        placeholder = client["secret"][2:-1]
        assert placeholder in realm_import["spec"]["placeholders"], client["clientId"]
    gateway = clients["samla-gateway"]
    assert gateway["standardFlowEnabled"] and gateway["attributes"]["pkce.code.challenge.method"] == "S256"
    # Server-side sessions ended by Keycloak: back-channel logout naming the session (sid).
    assert gateway["frontchannelLogout"] is False
    assert gateway["attributes"]["backchannel.logout.session.required"] == "true"
    # Every process calls others with client credentials; the gateway asks identity over gRPC.
    for process in PROCESSES:
        assert clients[f"samla-{process}"]["serviceAccountsEnabled"], process
        assert accounts[f"samla-{process}"]["realmRoles"] == ["samla-service"], process
    assert "insights:read" in clients["samla-integration"]["defaultClientScopes"]
    assert accounts["samla-directory-sync"]["clientRoles"] == {"realm-management": ["view-users", "query-groups"]}
    mappers = {m["name"]: m["config"] for s in scopes.values() for m in s.get("protocolMappers", [])}
    assert mappers["realm roles"]["claim.name"] == "realm_access.roles"
    assert mappers["samla audience"]["included.custom.audience"] == "samla"
    assert {"department", "manager", "level", "sub"} <= set(mappers)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_client_secret_is_the_one_keycloak_imports(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    realm_import = _realm(docs)
    clients = {c["clientId"]: c for c in realm_import["spec"]["realm"]["clients"]}
    for process in PROCESSES:
        placeholder = clients[f"samla-{process}"]["secret"][2:-1]
        secret = realm_import["spec"]["placeholders"][placeholder]["secret"]
        env = container_env(docs, pod_spec(named(docs, "Deployment", process))["containers"][0])

        assert env["SAMLA_CLIENT_SECRET"] == f"secret:{secret['name']}/{secret['key']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_municipalitys_hosts_reach_every_place_they_appear(rendered: dict[str, Any], overlay: str) -> None:
    docs = rendered[overlay]
    site = dict(line.split("=", 1) for line in
                (REPO / "deploy/k8s/overlays" / overlay / "site.env").read_text().splitlines()
                if line and not line.startswith("#"))
    gateway_client = next(c for c in _realm(docs)["spec"]["realm"]["clients"] if c["clientId"] == "samla-gateway")
    gateway_env = container_env(docs, pod_spec(named(docs, "Deployment", "gateway"))["containers"][0])
    public = f"https://{site['PUBLIC_HOST']}"

    assert named(docs, "Ingress", "samla")["spec"]["rules"][0]["host"] == site["PUBLIC_HOST"]
    assert named(docs, "Ingress", "samla-login")["spec"]["rules"][0]["host"] == site["LOGIN_HOST"]
    assert gateway_env["SAMLA_GATEWAY_PUBLIC_URL"] == public
    assert gateway_client["rootUrl"] == public and gateway_client["webOrigins"] == [public]
    assert gateway_client["redirectUris"] == [f"{public}{GATEWAY_ROUTES['callback']}"]
    assert gateway_client["attributes"]["post.logout.redirect.uris"] == f"{public}{GATEWAY_ROUTES['signed_out']}"
    assert gateway_client["attributes"]["backchannel.logout.url"] == f"{public}{GATEWAY_ROUTES['backchannel']}"
    assert objects(docs, "Keycloak")[0]["spec"]["hostname"]["hostname"] == f"https://{site['LOGIN_HOST']}"
    text = str(docs)
    for base_host, key in (("samla.example.se", "PUBLIC_HOST"), ("login.example.se", "LOGIN_HOST")):
        assert site[key] == base_host or base_host not in text, f"{base_host} left over in {overlay}"
