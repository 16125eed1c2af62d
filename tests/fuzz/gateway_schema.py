"""The gateway's whole surface as an OpenAPI document to fuzz: its published API plus the HTML pages and form posts.

The published `/openapi.json` hides the pages (`include_in_schema=False`: they are not an API to build on), so this
builds the document from the same routes with every route shown. Most form posts read their fields with
`await request.form()` rather than declaring them, so such an operation gets a form body of the field names its
module reads (all optional strings): the fuzzer then sends odd values to the fields the page really parses.
"""

from __future__ import annotations

import inspect
import re
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

FORM = "application/x-www-form-urlencoded"
FIELD_READ = re.compile(r"""form\.get(?:list)?\(\s*["']([\w-]+)["']""")
FIELD_LISTS = ("FIELDS", "EDIT_FIELDS")  # tuples of field names some forms are read by
PROXY = "/api/{service}/{path}"
# The proxy passes any path on: random ones only meet each service's unknown-route 404, so the fuzzer asks the
# services' real addresses (known and unknown ids) with each method instead. The people written here are not
# the admin the fuzzer signs in as. Unknown service names are refused by the gateway (see test_gateway_fuzz).
PROXIED_PATHS = {
    "identity": ["people/me", "people", "org-units", "people/p-chef", "people/no-such-person", "imports/no-such"],
    "events": ["events", "me/events", "events/no-such-day", "events/no-such-day/registrations"],
    "feedback": ["processes", "webhooks", "pulses", "events/no-such-day/me", "events/no-such-day/prompts",
                 "processes/no-such-process"],
    "network": ["runs", "me/profile", "me/networks", "runs/no-such-run", "groups"],
}


class _Shown(RouteContext):
    """A route as the document sees it, hidden or not."""

    include_in_schema = True


def document(app: FastAPI, known: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The document; a path parameter named in `known` is, about half the time, one of those real ids (so the
    page's code past "not found" is reached with the odd form values), otherwise any string."""
    known = known or {}
    contexts = [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]
    shown = [_Shown(c.route, c._route_context) for c in contexts]
    doc = get_openapi(title=app.title, version=app.version, routes=shown)
    endpoints = {(method.lower(), c.path_format): c.endpoint for c in contexts for method in c.methods or ()}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            endpoint = endpoints.get((method, path))
            if method == "post" and "requestBody" not in operation and endpoint is not None:
                fields = form_fields(inspect.getmodule(endpoint))
                if fields:
                    schema = {"type": "object", "properties": {name: {"type": "string"} for name in sorted(fields)}}
                    operation["requestBody"] = {"content": {FORM: {"schema": schema}}}
            for media in operation.get("requestBody", {}).get("content", {}).values():
                media.setdefault("example", {})  # the explicit phase needs every part's example to send one
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in known:
                    parameter["schema"] = {"anyOf": [{"enum": known[parameter["name"]]}, {"type": "string"}]}
                    parameter["example"] = known[parameter["name"]][0]  # asked first, in the explicit phase
    proxied = doc["paths"].pop(PROXY)
    for service, paths in PROXIED_PATHS.items():
        doc["paths"][f"/api/{service}/{{path}}"] = {
            method: {**operation, "operationId": f"{operation['operationId']}_{service}",
                     "parameters": [{"name": "path", "in": "path", "required": True,
                                     "schema": {"type": "string", "enum": paths}}]}
            for method, operation in proxied.items()}
    return doc


def form_fields(module: ModuleType | None) -> set[str]:
    """The form fields a page module (and the web modules it leans on) reads."""
    if module is None:
        return set()
    names: set[str] = set()
    helpers = [value for value in vars(module).values()
               if inspect.ismodule(value) and value.__name__.startswith("samla_gateway.web.")]
    for each in (module, *helpers):
        names |= set(FIELD_READ.findall(inspect.getsource(each)))
        for list_name in FIELD_LISTS:
            names |= {str(n) for n in getattr(each, list_name, ())}
    return names
