"""Files that configure one Lemonldap::NG run: signing key, users database, lmConf JSON, ini and nginx.conf.

Pure builders with no processes, so `llng.py` stays about lifecycle. Facts behind the settings are in
`/work/shared/notes/oidc-lemonldap.md`.
"""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

AUDIENCE = "samla"
SERVICE_ROLE = "samla-service"
# Keycloak's URL layout under the realm, mapped onto LLNG's endpoints (python-keycloak and the gateway
# config may use either).
KEYCLOAK_PATHS = {
    "/protocol/openid-connect/auth": "/oauth2/authorize",
    "/protocol/openid-connect/token": "/oauth2/token",
    "/protocol/openid-connect/token/introspect": "/oauth2/introspect",
    "/protocol/openid-connect/userinfo": "/oauth2/userinfo",
    "/protocol/openid-connect/certs": "/oauth2/jwks",
    "/protocol/openid-connect/logout": "/oauth2/logout",
}


@dataclass(frozen=True)
class User:
    username: str
    password: str
    name: str
    email: str
    roles: tuple[str, ...]

    @property
    def sub(self) -> str:
        """Stable across runs and machines, and opaque like Keycloak's user ids."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://samla.test/users/{self.username}"))


USERS: tuple[User, ...] = (
    User("admin", "admin-pass", "Astrid Admin", "astrid.admin@kommun.test", ("samla-admin",)),
    User("facilitator", "facilitator-pass", "Frida Facilitator", "frida.facilitator@kommun.test",
         ("samla-facilitator",)),
    User("leader", "leader-pass", "Leif Ledning", "leif.ledning@kommun.test", ("samla-leadership",)),
    User("manager", "manager-pass", "Maja Chef", "maja.chef@kommun.test", ()),
    User("coordinator", "coordinator-pass", "Kim Koordinator", "kim.koordinator@kommun.test",
         ("samla-facilitator", "samla-leadership")),
)


@dataclass(frozen=True)
class Client:
    client_id: str
    secret: str
    grant: str  # "authorization_code" (a person signs in) or "client_credentials"
    scopes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


def make_clients() -> dict[str, Client]:
    """Secrets are fresh per run so no test can lean on a value baked into the repository."""

    def secret() -> str:
        return secrets.token_urlsafe(24)

    clients = [
        Client("samla-gateway", secret(), "authorization_code"),
        Client("samla-integration", secret(), "client_credentials", scopes=("insights:read",)),
        *(Client(f"samla-{name}", secret(), "client_credentials", roles=(SERVICE_ROLE,))
          for name in ("identity", "events", "feedback", "network")),
    ]
    return {c.client_id: c for c in clients}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str
    public_pem: str

    @property
    def public_der_b64(self) -> str:
        """The form Keycloak's realm endpoint publishes as `public_key`."""
        body = "".join(self.public_pem.strip().splitlines()[1:-1])
        return base64.b64encode(base64.b64decode(body)).decode()


def make_key() -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return SigningKey(f"samla-{secrets.token_hex(6)}", private_pem, public_pem)


def write_users_db(path: Path, users: tuple[User, ...]) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (user TEXT PRIMARY KEY, password TEXT, name TEXT, email TEXT,"
                   " subject TEXT, roles TEXT)")
        # LLNG's multi-valued attributes are one string joined by its multiValuesSeparator ("; ").
        db.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)",
                       [(u.username, u.password, u.name, u.email, u.sub, "; ".join(u.roles)) for u in users])
    db.close()


def _relying_party(client: Client, redirect_uris: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {
        "oidcRPMetaDataOptionsClientID": client.client_id,
        "oidcRPMetaDataOptionsClientSecret": client.secret,
        "oidcRPMetaDataOptionsAdditionalAudiences": AUDIENCE,
        "oidcRPMetaDataOptionsAccessTokenJWT": 1,
        "oidcRPMetaDataOptionsAccessTokenClaims": 1,
        "oidcRPMetaDataOptionsIDTokenSignAlg": "RS256",
        "oidcRPMetaDataOptionsAccessTokenSignAlg": "RS256",
        "oidcRPMetaDataOptionsBypassConsent": 1,
    }
    if client.grant == "client_credentials":
        options["oidcRPMetaDataOptionsAllowClientCredentialsGrant"] = 1
    else:
        options |= {
            "oidcRPMetaDataOptionsRequirePKCE": 1,
            "oidcRPMetaDataOptionsRefreshToken": 1,
            "oidcRPMetaDataOptionsIDTokenForceClaims": 1,
            "oidcRPMetaDataOptionsRedirectUris": " ".join(redirect_uris),
            "oidcRPMetaDataOptionsPostLogoutRedirectUris": " ".join(redirect_uris),
            # RP-initiated logout ends the session at once, as Keycloak does, instead of asking to confirm.
            "oidcRPMetaDataOptionsLogoutBypassConfirm": 1,
        }
    return options


def lmconf(*, cfg_num: int, issuer: str, state: Path, key: SigningKey, clients: dict[str, Client],
           redirect_uris: list[str]) -> dict[str, Any]:
    """The whole portal configuration; `cfg_num` rises on every rewrite so LLNG treats it as new."""
    person_claims = {"name": "cn", "email": "mail", "preferred_username": "uid", "roles": "roles;string;always"}
    client_claims = {"roles": "clientRoles;string;always"}
    return {
        "cfgNum": cfg_num,
        "cfgVersion": "2.16.1",
        "cfgAuthor": "samla tests",
        # The handler treats a false cfgDate as "no configuration", and a changed one as a reload.
        "cfgDate": str(int(time.time())),
        "portal": f"{issuer}/",
        # Required by the portal; the plugin then drops it from cookies (see KeycloakParity.pm).
        "domain": "127.0.0.1",
        "cookieName": "samlasso",
        "securedCookie": 0,
        "timeout": 7200,
        "authentication": "DBI",
        "userDB": "Same",
        "passwordDB": "DBI",
        "registerDB": "Null",
        "dbiAuthChain": f"dbi:SQLite:dbname={state / 'users.sqlite'}",
        "dbiAuthUser": "",
        "dbiAuthPassword": "",
        "dbiAuthTable": "users",
        "dbiAuthLoginCol": "user",
        "dbiAuthPasswordCol": "password",
        "dbiExportedVars": {"uid": "user", "cn": "name", "mail": "email", "subject": "subject", "roles": "roles"},
        "exportedVars": {},
        # A person's `sub` everywhere (tokens, userinfo, introspection by any client) is this stable id;
        # client-credentials sessions set it to the client id themselves.
        "macros": {"_whatToTrace": "$subject"},
        "whatToTrace": "_whatToTrace",
        "multiValuesSeparator": "; ",
        "globalStorage": "Apache::Session::File",
        "globalStorageOptions": {"Directory": str(state / "sessions"),
                                 "LockDirectory": str(state / "sessions/lock")},
        "persistentStorage": "Apache::Session::File",
        "persistentStorageOptions": {"Directory": str(state / "psessions"),
                                     "LockDirectory": str(state / "psessions/lock")},
        "localSessionStorage": "Cache::FileCache",
        "localSessionStorageOptions": {"cache_root": str(state / "cache"), "cache_depth": 3,
                                       "default_expires_in": 600, "namespace": "samla-llng-sessions"},
        "notification": 0,
        "loginHistoryEnabled": 0,
        "portalSkin": "bootstrap",
        "customPlugins": "Samla::KeycloakParity",
        "locationRules": {},
        "issuerDBOpenIDConnectActivation": 1,
        "oidcServiceMetaDataIssuer": issuer,
        "oidcServicePrivateKeySig": key.private_pem,
        "oidcServicePublicKeySig": key.public_pem,
        "oidcServiceKeyIdSig": key.kid,
        "oidcServiceAllowAuthorizationCodeFlow": 1,
        "oidcServiceAccessTokenExpiration": 300,
        "oidcServiceIDTokenExpiration": 300,
        "oidcServiceIgnoreScopeForClaims": 1,
        # Narrow scopes are real: a client gets insights:read only where a scope rule grants it.
        "oidcServiceAllowOnlyDeclaredScopes": 1,
        "oidcRPMetaDataOptions": {cid: _relying_party(c, redirect_uris) for cid, c in clients.items()},
        "oidcRPMetaDataExportedVars": {
            cid: person_claims if c.grant == "authorization_code" else client_claims for cid, c in clients.items()
        },
        "oidcRPMetaDataMacros": {
            cid: {"clientRoles": repr("; ".join(c.roles))} for cid, c in clients.items() if c.roles
        },
        # Like Keycloak's default client scopes: granted whether or not the request names them, because
        # LLNG refuses a client-credentials request that ends up with no scope at all.
        "oidcRPMetaDataScopeRules": {
            cid: {scope: "1" for scope in ("profile", "email", *c.scopes)}
            for cid, c in clients.items() if c.grant == "client_credentials"
        },
    }


def ini(conf_dir: Path, log_level: str = "warn") -> str:
    return (f"[all]\nlogLevel = {log_level}\ncheckTime = 1\n\n"
            f"[configuration]\ntype = File\ndirName = {conf_dir}\n\n"
            "[portal]\nstaticPrefix = /static\ntemplateDir = /usr/share/lemonldap-ng/portal/templates\n"
            "languages = en, sv\n")


def realm_json(*, realm: str, issuer: str, key: SigningKey) -> str:
    """What Keycloak answers at `GET /realms/<realm>`."""
    return json.dumps({"realm": realm, "public_key": key.public_der_b64,
                       "token-service": f"{issuer}/protocol/openid-connect",
                       "account-service": f"{issuer}/account", "tokens-not-before": 0})


def nginx_conf(*, port: int, state: Path, socket: Path, realm: str) -> str:
    keycloak_map = "\n".join(f"        {kc} {ll};" for kc, ll in KEYCLOAK_PATHS.items())
    return f"""
user www-data www-data;
worker_processes 1;
pid {state}/nginx.pid;
error_log {state}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {state}/nginx-tmp/body;
    fastcgi_temp_path {state}/nginx-tmp/fastcgi;
    proxy_temp_path {state}/nginx-tmp/proxy;
    uwsgi_temp_path {state}/nginx-tmp/uwsgi;
    scgi_temp_path {state}/nginx-tmp/scgi;
    include /etc/nginx/mime.types;
    map $llpath $portal_path {{
        default $llpath;
{keycloak_map}
    }}
    server {{
        listen 127.0.0.1:{port};
        location = /realms/{realm} {{
            default_type application/json;
            alias {state}/realm.json;
        }}
        location ~ ^/realms/{realm}(?<llpath>/.*)$ {{
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:{socket};
            fastcgi_param LLTYPE portal;
            # Only the templates read it: their links (portal.css, psgi.js) are relative to it.
            fastcgi_param SCRIPT_NAME /realms/{realm};
            fastcgi_param PATH_INFO $portal_path;
            # Plack rebuilds PATH_INFO from REQUEST_URI, so the rewritten path must be in both.
            fastcgi_param REQUEST_URI $portal_path$is_args$args;
        }}
        location /static/ {{ alias /usr/share/lemonldap-ng/portal/htdocs/static/; }}
        location /javascript/ {{ alias /usr/share/javascript/; }}
    }}
}}
"""
