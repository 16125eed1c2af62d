"""Reading back what reportlab wrote: page count and the text drawn (content streams are Flate-compressed)."""

from __future__ import annotations

import base64
import re
import zlib


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def drawn_text(pdf: bytes) -> str:
    """Every string shown with Tj in the content streams, decoded as WinAnsi (Latin-1 for our names)."""
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        data = stream.strip()
        if data.endswith(b"~>"):  # reportlab: ASCII85 around Flate
            data = base64.a85decode(data[:-2].removeprefix(b"<~"))
        try:
            content = zlib.decompress(data)
        except zlib.error:
            continue
        for raw in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content, flags=re.S):
            texts.append(_unescape(raw).decode("latin-1"))
    return "\n".join(texts)


def _unescape(raw: bytes) -> bytes:
    def octal(m: re.Match[bytes]) -> bytes:
        return bytes([int(m.group(1), 8)])

    raw = re.sub(rb"\\([0-7]{1,3})", octal, raw)
    return re.sub(rb"\\(.)", rb"\1", raw)
