"""A real OpenID Connect provider for tests: Lemonldap::NG behind a private nginx on 127.0.0.1 (DESIGN §6).

`IdP.start(redirect_uris=[...])` runs one provider whose issuer is `http://127.0.0.1:PORT/realms/samla`, with
the people in `llng_config.USERS` and the clients from `llng_config.make_clients()`; `stop()` leaves no
process behind. Needs root (the FastCGI server drops to www-data) and `scripts/install-idp.sh`.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from . import llng_config as cfg
from .login import new_code_verifier, scripted_login

HERE = Path(__file__).resolve().parent
FASTCGI_SERVER = "/usr/sbin/llng-fastcgi-server"
REALM = "samla"
# Where `make run` serves the gateway (DESIGN §5); tests that start their own gateway pass theirs.
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8000/auth/callback"


class IdPError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _group_alive(proc: subprocess.Popen[bytes]) -> bool:
    proc.poll()  # reaps the leader; an unreaped zombie would keep its group "alive"
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_group(proc: subprocess.Popen[bytes] | None, grace: float = 5.0) -> None:
    """Both servers fork workers into the leader's session, so the whole process group is signalled."""
    if proc is None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _group_alive(proc):
            return
        os.killpg(proc.pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _group_alive(proc):
            time.sleep(0.05)


@dataclass
class IdP:
    port: int
    state: Path
    redirect_uris: list[str]
    users: dict[str, cfg.User] = field(default_factory=lambda: {u.username: u for u in cfg.USERS})
    clients: dict[str, cfg.Client] = field(default_factory=cfg.make_clients)
    key: cfg.SigningKey = field(default_factory=cfg.make_key)
    _cfg_num: int = 0
    _fastcgi: subprocess.Popen[bytes] | None = None
    _nginx: subprocess.Popen[bytes] | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}/realms/{REALM}"

    @property
    def process_groups(self) -> list[int]:
        """The running servers' process groups (each server and its workers)."""
        return [p.pid for p in (self._fastcgi, self._nginx) if p is not None and p.poll() is None]

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/oauth2/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.issuer}/oauth2/authorize"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/oauth2/jwks"

    # ---- lifecycle ------------------------------------------------------------------------------------------

    @classmethod
    def start(cls, *, redirect_uris: list[str] | None = None, timeout: float = 30.0,
              log_level: str = "warn") -> IdP:
        """Starts a fresh provider (new key, new secrets, empty sessions); tries another port if one is taken."""
        if os.geteuid() != 0:
            raise IdPError("The Lemonldap::NG harness needs root (its FastCGI server switches to www-data).")
        if not Path(FASTCGI_SERVER).exists() or not shutil.which("nginx"):
            raise IdPError("Lemonldap::NG is not installed: run scripts/install-idp.sh")
        uris = list(redirect_uris or [DEFAULT_REDIRECT_URI])
        last: Exception | None = None
        for _ in range(3):
            idp = cls(port=_free_port(), state=Path(tempfile.mkdtemp(prefix="samla-llng-")), redirect_uris=uris)
            try:
                idp._boot(timeout, log_level)
                return idp
            except IdPError as exc:
                last = exc
                port_taken = "Address already in use" in idp.logs()
                idp.stop()
                if not port_taken:
                    break
        raise IdPError(f"Lemonldap::NG did not start: {last}")

    def _boot(self, timeout: float, log_level: str) -> None:
        atexit.register(self.stop)
        for sub in ("conf", "sessions/lock", "psessions/lock", "cache", "perl/Samla", "nginx-tmp"):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(HERE / "perl/Samla/KeycloakParity.pm", self.state / "perl/Samla/")
        cfg.write_users_db(self.state / "users.sqlite", tuple(self.users.values()))
        (self.state / "lemonldap-ng.ini").write_text(cfg.ini(self.state / "conf", log_level))
        (self.state / "nginx.conf").write_text(
            cfg.nginx_conf(port=self.port, state=self.state, socket=self._socket, realm=REALM))
        self._write_config()
        self._start_fastcgi()
        self._nginx = subprocess.Popen(
            ["nginx", "-p", str(self.state), "-c", str(self.state / "nginx.conf"),
             "-e", str(self.state / "nginx-error.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready(timeout)

    @property
    def _socket(self) -> Path:
        return self.state / "llng.sock"

    def _write_config(self) -> None:
        """Writes the next configuration number; LLNG always loads the highest one in the directory."""
        self._cfg_num += 1
        conf = cfg.lmconf(cfg_num=self._cfg_num, issuer=self.issuer, state=self.state, key=self.key,
                          clients=self.clients, redirect_uris=self.redirect_uris)
        conf_dir = self.state / "conf"
        for old in conf_dir.glob("lmConf-*.json"):
            old.unlink()
        (conf_dir / f"lmConf-{self._cfg_num}.json").write_text(json.dumps(conf, indent=1))
        (self.state / "realm.json").write_text(cfg.realm_json(realm=REALM, issuer=self.issuer, key=self.key))
        # The portal runs as www-data and writes sessions and caches here.
        subprocess.run(["chown", "-R", "www-data:www-data", str(self.state)], check=True)

    def _start_fastcgi(self) -> None:
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "LLNG_DEFAULTCONFFILE": str(self.state / "lemonldap-ng.ini"),
            "LLNG_DEFAULTLOGGER": "Lemonldap::NG::Common::Logger::Std",
            "PERL5LIB": str(self.state / "perl"),
        }
        log = (self.state / "fastcgi.log").open("ab")
        self._fastcgi = subprocess.Popen(
            [FASTCGI_SERVER, "--foreground", "-u", "www-data", "-g", "www-data", "-n", "2",
             "-s", str(self._socket), "-p", str(self.state / "llng-fastcgi.pid")],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def _wait_ready(self, timeout: float, kid: str | None = None) -> None:
        """Waits until discovery names this issuer (and, after a rotation, the JWKS serves the new key)."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for name, proc in (("llng-fastcgi-server", self._fastcgi), ("nginx", self._nginx)):
                if proc is None or proc.poll() is not None:
                    raise IdPError(f"{name} exited early; {self.logs()}")
            try:
                resp = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2)
                if resp.status_code == 500 and "Initialization failed" in self._log("fastcgi.log"):
                    raise IdPError(f"the portal rejected its configuration; {self.logs()}")
                if resp.status_code == 200 and resp.json().get("issuer") == self.issuer:
                    kids = [k.get("kid") for k in httpx.get(self.jwks_url, timeout=2).json()["keys"]]
                    if kid is None or kids == [kid]:
                        return
                    last = f"JWKS still serves {kids}"
            except (httpx.HTTPError, ValueError) as exc:
                last = repr(exc)
            time.sleep(0.1)
        raise IdPError(f"not ready after {timeout} s ({last}); {self.logs()}")

    def _log(self, name: str) -> str:
        path = self.state / name
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        """The distinct error and warning lines of both servers: the portal repeats its one cause per request."""
        lines: dict[str, None] = {}
        for name in ("fastcgi.log", "nginx-error.log"):
            for line in self._log(name).splitlines():
                if any(level in line for level in ("[error]", "[warn]", "[crit]", "[emerg]", "Can't")):
                    lines.setdefault(f"{name}: {line.split('] ', 1)[-1]}")
        return "\n".join(list(lines)[:40]) or "(no errors logged)"

    def rotate_key(self, timeout: float = 30.0) -> str:
        """Signs with a new key under a new kid from now on; the old key leaves the JWKS. Returns the new kid.

        The FastCGI server is restarted rather than left to notice the new configuration, so every worker
        signs with the new key once this returns. Sessions are files and survive the restart.
        """
        self.key = cfg.make_key()
        self._write_config()
        _stop_group(self._fastcgi)
        self._socket.unlink(missing_ok=True)
        self._start_fastcgi()
        self._wait_ready(timeout, kid=self.key.kid)
        return self.key.kid

    def stop(self) -> None:
        """Stops both servers and removes the state directory; safe to call more than once."""
        _stop_group(self._nginx)
        _stop_group(self._fastcgi)
        self._nginx = self._fastcgi = None
        shutil.rmtree(self.state, ignore_errors=True)
        atexit.unregister(self.stop)

    def __enter__(self) -> IdP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- clients' view --------------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        resp = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5)
        resp.raise_for_status()
        return dict(resp.json())

    def client_credentials(self, client_id: str, scope: str = "") -> httpx.Response:
        """The raw token response, so tests can assert refusals as well as grants."""
        client = self.clients[client_id]
        data = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
        return httpx.post(self.token_url, data=data, auth=(client.client_id, client.secret), timeout=10)

    def password_login_code_flow(self, username: str, password: str, client_id: str, redirect_uri: str,
                                 code_verifier: str, scope: str = "openid profile email",
                                 browser: httpx.Client | None = None) -> str:
        """Signs in through the portal's HTML form (as a browser would) and returns the authorization code.

        With `browser` (from `login.new_browser()`) the SSO cookie stays there, for `end_session` later.
        """
        return scripted_login(authorize_url=self.authorize_url, username=username, password=password,
                              client_id=client_id, redirect_uri=redirect_uri, code_verifier=code_verifier,
                              scope=scope, browser=browser)

    def exchange_code(self, client_id: str, code: str, redirect_uri: str, code_verifier: str) -> httpx.Response:
        client = self.clients[client_id]
        return httpx.post(self.token_url, auth=(client.client_id, client.secret), timeout=10, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier})

    def refresh(self, client_id: str, refresh_token: str) -> httpx.Response:
        client = self.clients[client_id]
        return httpx.post(self.token_url, auth=(client.client_id, client.secret), timeout=10,
                          data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def end_session(self, browser: httpx.Client, id_token: str, post_logout_redirect_uri: str) -> httpx.Response:
        """RP-initiated logout in the signed-in browser; ends the SSO session and its refresh tokens.

        Keycloak's back-channel `POST .../logout` with a refresh token is NOT supported by LLNG 2.16: it
        answers 200 with an HTML page and the session stays alive.
        """
        return browser.get(f"{self.issuer}/oauth2/logout", params={
            "id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri})

    def login(self, username: str, client_id: str = "samla-gateway") -> dict[str, Any]:
        """Tokens for one of `users` via authorization code + PKCE: the shortcut for authorization tests."""
        verifier = new_code_verifier()
        redirect_uri = self.redirect_uris[0]
        code = self.password_login_code_flow(username, self.users[username].password, client_id, redirect_uri,
                                             verifier)
        resp = self.exchange_code(client_id, code, redirect_uri, verifier)
        resp.raise_for_status()
        return dict(resp.json())
