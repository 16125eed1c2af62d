"""The feedback service's pulse API, called with the network service's own client-credentials token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from samla_common.errors import NotFound, Unavailable

UNAVAILABLE = "The feedback service, which runs pulses, could not be reached ({}). Try again in a minute."


class FeedbackClient:
    def __init__(self, *, base_url: str, token: Callable[[], str], timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = httpx.request(method, f"{self.base_url}{path}", json=body, timeout=self.timeout,
                                     headers={"authorization": f"Bearer {self.token()}"})
        except httpx.HTTPError as exc:
            raise Unavailable(UNAVAILABLE.format(type(exc).__name__)) from exc
        if response.status_code == 404:
            raise NotFound("The feedback service does not know this pulse.")
        if response.status_code >= 400:
            # Anything else is a fault between the services (token, contract), not the admin's input.
            detail = response.json().get("detail", "") if response.headers.get("content-type", "").endswith(
                "json") else response.text[:200]
            raise Unavailable(UNAVAILABLE.format(f"HTTP {response.status_code}: {detail}"))
        result: dict[str, Any] = response.json()
        return result

    def open_pulse(self, *, pulse_id: str, groups: list[dict[str, Any]],
                   prompts: list[dict[str, Any]]) -> dict[str, Any]:
        """Opens (or, on a retry, returns) the pulse in feedback: PulseOut with event_id, people, prompts."""
        return self._call("PUT", f"/pulses/{pulse_id}", {"groups": groups, "prompts": prompts})

    def close_pulse(self, *, pulse_id: str) -> dict[str, Any]:
        return self._call("POST", f"/pulses/{pulse_id}/close")

    def results(self, *, pulse_id: str) -> list[dict[str, Any]]:
        """The k-protected results per prompt, in the order asked."""
        return list(self._call("GET", f"/pulses/{pulse_id}/results")["results"])
