"""Security headers on every response: a strict CSP (no inline scripts), no framing, no sniffing, HSTS on https."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Response


def content_security_policy(*, form_targets: list[str]) -> str:
    # form-action also governs where a form post may redirect: logging out continues at the IdP.
    forms = " ".join(["'self'", *form_targets])
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            f"form-action {forms}")


PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=()"
CAMERA_PERMISSIONS = "camera=(self), microphone=(), geolocation=(), payment=()"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def apply(response: Response, *, csp: str, https: bool) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    # A page may allow more for itself (the door page lets the camera scan QR codes).
    headers.setdefault("Permissions-Policy", PERMISSIONS)
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
