"""The topic catalogue (contracts/events/topics.yaml, copied here by `make gen`)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def catalogue() -> dict[str, Any]:
    text = (resources.files("samla_contracts") / "data" / "topics.yaml").read_text(encoding="utf-8")
    topics: dict[str, Any] = yaml.safe_load(text)["topics"]
    return topics


def partitions_for(topic: str) -> int:
    """Partitions for a topic; a DLQ gets one partition (it is read by people, not by scaled consumers)."""
    if topic.endswith(".dlq"):
        return 1
    return int(catalogue().get(topic, {}).get("partitions", 3))
