"""The Fernet keys that encrypt tokens at rest: from settings, or (outside production) generated under var/."""

from __future__ import annotations

import threading
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet

from samla_gateway.config import Settings

_lock = threading.Lock()


def session_fernet(settings: Settings) -> MultiFernet:
    """The first key encrypts, every key decrypts, so a new key can be put in front without signing anyone out."""
    keys = [k.strip() for k in settings.session_key.split(",") if k.strip()]
    if not keys:
        # Settings refuse production without SAMLA_GATEWAY_SESSION_KEY; locally one key per machine is enough.
        keys = [_load_or_create(settings.var_dir / "gateway-session.key")]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _load_or_create(path: Path) -> str:
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(Fernet.generate_key())
            tmp.chmod(0o600)
            tmp.replace(path)
        return path.read_text().strip()
