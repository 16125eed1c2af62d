"""The Server-Sent Events wire format (WHATWG HTML §9.2): what one frame of a stream looks like in bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """One update of a stream: the event name, its id (the browser sends it back as Last-Event-ID) and JSON."""

    event: str
    id: str
    data: bytes


def encode(frame: Frame) -> bytes:
    # A data line must not contain a line break; JSON may carry literal ones only between tokens, never inside
    # strings, so each line of the document becomes its own data: line and the browser joins them back.
    lines = b"".join(b"data: " + line + b"\n" for line in frame.data.splitlines() or [b""])
    return b"event: " + _clean(frame.event) + b"\nid: " + _clean(frame.id) + b"\n" + lines + b"\n"


def retry(milliseconds: int) -> bytes:
    """Tells the browser how long to wait before reconnecting."""
    return f"retry: {int(milliseconds)}\n\n".encode()


def heartbeat() -> bytes:
    """A comment line: browsers ignore it, proxies and load balancers see traffic and keep the stream open."""
    return b": heartbeat\n\n"


def _clean(value: str) -> bytes:
    return value.replace("\r", "").replace("\n", "").encode()
