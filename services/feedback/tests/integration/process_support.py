"""Builders for process tests: a chefsdag with priority, ranking and free-text answers, a process that links them,
and tokens for an integration client (client credentials: a scope, no roles)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import jwt

from .conftest import ISSUER, Feedback

FAC, ADMIN, LEADER = "fac-1", "admin-1", "leader-1"
AREAS = [{"id": "skola", "title": "Skola"}, {"id": "omsorg", "title": "Äldreomsorg"},
         {"id": "klimat", "title": "Klimat"}]


def integration_headers(fb: Feedback, scope: str = "insights:read") -> dict[str, str]:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "samla", "sub": "service-account-samla-integration", "iat": now,
              "exp": now + 600, "azp": "samla-integration", "scope": scope, "realm_access": {"roles": []}}
    return {"authorization": f"Bearer {jwt.encode(claims, fb.key, algorithm='RS256', headers={'kid': 'test'})}"}


@dataclass
class Day:
    event_id: str
    priority: str
    ranking: str
    text: str
    points: dict[str, dict[str, int]] = field(default_factory=dict)  # person -> allocation
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # person -> (administration, level)
    response_ids: list[str] = field(default_factory=list)


def prompt(fb: Feedback, event_id: str, **body: Any) -> str:
    created = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", json=body, expect=201)
    fb.call("POST", f"/prompts/{created.json()['id']}/open", as_=FAC, role="facilitator", expect=200)
    return str(created.json()["id"])


def chefsdag(fb: Feedback, event_id: str, *, soc: int = 7, utb: int = 5, seed: int = 0) -> Day:
    """`soc` managers from Socialförvaltningen (two of them avdelningschefer) and `utb` from Utbildning answer a
    priority and a ranking prompt (both closed afterwards) and a free-text prompt."""
    fb.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    fb.org_unit("ou-utb", "Utbildningsförvaltningen", "forvaltning")
    options = [{"id": a["id"], "label": a["title"]} for a in AREAS]
    day = Day(event_id, prompt(fb, event_id, kind="priority", title="Fördela 100 poäng", options=options,
                               points_total=100),
              prompt(fb, event_id, kind="ranking", title="Rangordna områdena", options=options),
              prompt(fb, event_id, kind="open_text", title="Vad behöver din verksamhet?"))
    people = [("ou-soc", "avdelningschef" if i < 2 else "enhetschef") for i in range(soc)] + \
        [("ou-utb", "enhetschef")] * utb
    for i, (unit, level) in enumerate(people):
        person = f"{event_id}-p{i}"
        fb.person(person, f"Chef {i}", unit, level)
        skola = (10 * (i + seed)) % 70
        points = {"skola": skola, "omsorg": 70 - skola, "klimat": 30}
        fb.call("POST", f"/prompts/{day.priority}/responses", as_=person, json={"points": points}, expect=201)
        ranking = ["skola", "omsorg", "klimat"] if i % 2 else ["klimat", "skola"]
        fb.call("POST", f"/prompts/{day.ranking}/responses", as_=person, json={"ranking": ranking}, expect=201)
        fb.call("POST", f"/prompts/{day.text}/responses", as_=person, expect=201,
                json={"text": f"Mer tid för dialog med medarbetarna, säger chef {i}"})
        day.points[person], day.people[person] = points, (unit, level)
    for p in (day.priority, day.ranking):
        fb.call("POST", f"/prompts/{p}/close", as_=FAC, role="facilitator", expect=200)
    texts = fb.call("GET", f"/prompts/{day.text}/texts", as_=FAC, role="facilitator", expect=200).json()["texts"]
    day.response_ids = [t["response_id"] for t in texts]
    return day


def theme(fb: Feedback, day: Day, process_id: str, response_ids: list[str] | None = None) -> str:
    created = fb.call("POST", f"/events/{day.event_id}/themes", as_=FAC, role="facilitator", expect=201,
                      json={"title": "Tid för dialog", "response_ids": response_ids or day.response_ids}).json()
    fb.call("POST", f"/themes/{created['id']}/publish", as_=FAC, role="facilitator", expect=200,
            json={"process_id": process_id})
    return str(created["id"])


def process(fb: Feedback, process_id: str, days: list[Day], *, owner: str = "owner-1", series: str | None = None,
            year: int | None = 2027) -> dict[str, Any]:
    body = {"id": process_id, "title": f"Budget {year}", "kind": "budget", "owner_id": owner, "series": series,
            "year": year, "event_ids": [d.event_id for d in days],
            "prompt_ids": [p for d in days for p in (d.priority, d.ranking, d.text)], "areas": AREAS,
            "phases": [{"phase": "kick_off", "starts_on": "2026-11-26", "ends_on": "2026-11-26"},
                       {"phase": "decision", "starts_on": "2027-02-01", "ends_on": "2027-03-15"}]}
    return dict(fb.call("POST", "/processes", as_=ADMIN, role="admin", json=body, expect=201).json())
