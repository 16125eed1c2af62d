"""Loads the demo municipality through the identity API, as an HR admin's import would."""

from __future__ import annotations

import httpx

from deploy.local.stack import Stack


def service_token(stack: Stack, client_id: str = "samla-gateway") -> str:
    resp = httpx.post(f"http://127.0.0.1:{stack.ports.http('identity')}/dev/token",
                      data={"grant_type": "client_credentials"}, auth=(client_id, stack.client_secret()), timeout=10)
    resp.raise_for_status()
    return str(resp.json()["access_token"])


def load_demo(stack: Stack) -> int:
    """Loads (idempotently) the demo org tree and managers; returns how many people were loaded."""
    try:
        from samla_identity.demo.generator import generate
    except ImportError:
        return 0
    units, people = generate()
    token = service_token(stack)
    headers = {"authorization": f"Bearer {token}"}
    base = f"{stack.gateway_url}/api/identity"
    with httpx.Client(headers=headers, timeout=30) as client:
        for u in units:
            r = client.put(f"{base}/org-units/{u.id}", json={"id": u.id, "name": u.name, "kind": u.kind,
                                                             "parent_id": u.parent_id})
            r.raise_for_status()
        for p in people:
            body = {"id": p.id, "name": p.name, "email": p.email, "title": p.title, "level": p.level,
                    "org_unit_id": p.org_unit_id, "manager_id": p.manager_id, "location": p.location,
                    "languages": list(p.languages), "roles": list(p.roles)}
            client.put(f"{base}/people/{p.id}", json=body).raise_for_status()
    print(f"demo municipality loaded: {len(units)} org units, {len(people)} people", flush=True)
    return len(people)
