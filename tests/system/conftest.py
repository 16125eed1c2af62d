"""One stack for the whole-system tests, started as `make run` starts it (on other ports, in a temp dir)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local.stack import Ports, Stack
from tests.support.broker import free_port
from tests.support.otlp import OtlpReceiver


@pytest.fixture(scope="session")
def otlp() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver(port=free_port()).start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, otlp: OtlpReceiver) -> Iterator[Stack]:
    s = Stack(var_dir=tmp_path_factory.mktemp("var"), ports=Ports.free(),
              extra_env={"OTEL_EXPORTER_OTLP_ENDPOINT": otlp.endpoint}, color=False,
              log_file=Path(tmp_path_factory.mktemp("logs")) / "stack.log")
    try:
        s.start_all(ready_timeout=90)
        yield s
    finally:
        s.stop_all()


