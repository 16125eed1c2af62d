"""The key that signs check-in codes: from settings, or (one machine, no key configured) a file under var/."""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from samla_events.config import Settings


class CheckinKey:
    """Loaded on first use, so importing the app touches no files."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._key: bytes | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._key is not None

    def get(self) -> bytes:
        with self._lock:
            if self._key is None:
                configured = self.settings.checkin_key.get_secret_value()
                self._key = configured.encode() if configured else _load_or_create(
                    self.settings.var_dir / "keys" / "events-checkin.key")
            return self._key


def _load_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # another process made it first
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())
