"""HTTP for SCIM 2.0 at /scim/v2 (RFC 7644). Who may call: provisioning clients, see `provisioner`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from samla_common.auth import ADMIN, SERVICE, CurrentPrincipal, Principal
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden
from samla_identity.scim import bulk, discovery, groups, listing, users, versions
from samla_identity.scim.attributes import GROUP, SCHEMAS, USER, ResourceKind
from samla_identity.scim.errors import ScimError, ScimRoute, error_response, invalid_syntax, scim_response
from samla_identity.scim.routes_doc import BODY_EXAMPLES, ROLES

PROVISION_SCOPE = "scim:provision"
router = APIRouter(prefix="/scim/v2", tags=["scim"], route_class=ScimRoute)


async def provisioner(principal: CurrentPrincipal) -> Principal:
    """The caller must be a provisioning client: scope scim:provision, or role samla-service or samla-admin."""
    if principal.has_any([SERVICE, ADMIN]) or PROVISION_SCOPE in principal.scopes:
        return principal
    raise Forbidden(f"SCIM provisioning needs the scope {PROVISION_SCOPE} or the role {SERVICE} or {ADMIN}.")


async def json_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, at most maxPayloadSize bytes (413 beyond, 400 when not JSON)."""
    limit = discovery.MAX_PAYLOAD_BYTES
    declared = request.headers.get("content-length", "")
    too_large = ScimError(413, f"The request body is larger than {limit} bytes, the most this server accepts; "
                               "send fewer operations or smaller values.")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise too_large
    if not raw.strip():
        raise invalid_syntax("The request has no body; send the SCIM resource as a JSON object.")
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid_syntax(f"The body is not valid JSON ({exc}).") from exc
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    return body


Provisioner = Annotated[Principal, Depends(provisioner)]
Body = Annotated[dict[str, Any], Depends(json_body)]


def base_url(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{router.prefix}"


def _one(kind: ResourceKind, request: Request, resource: dict[str, Any], status: int = 200) -> JSONResponse:
    params = {k.lower(): v for k, v in request.query_params.items()}
    body = listing.project(kind, resource, listing.names(params.get("attributes")),
                           listing.names(params.get("excludedattributes")))
    headers = {"ETag": resource["meta"]["version"], "Location": resource["meta"]["location"]}
    return scim_response(body, status, headers)


def _no_filter(request: Request) -> None:
    if "filter" in {k.lower() for k in request.query_params}:
        raise ScimError(403, "The discovery endpoints do not take a filter (RFC 7644 §4).")


@router.get("/ServiceProviderConfig", summary=f"What this SCIM server supports. {ROLES}")
def service_provider_config(request: Request, _: Provisioner) -> JSONResponse:
    _no_filter(request)
    return scim_response(discovery.service_provider_config(base_url(request)))


@router.get("/ResourceTypes", summary=f"The resource types: User and Group. {ROLES}")
def resource_types(request: Request, _: Provisioner) -> JSONResponse:
    _no_filter(request)
    return scim_response(discovery.list_of([discovery.resource_type(k, base_url(request))
                                            for k in discovery.KINDS]))


@router.get("/ResourceTypes/{name}", summary=f"One resource type. {ROLES}")
def resource_type(name: str, request: Request, _: Provisioner) -> JSONResponse:
    kind = discovery.find_resource_type(name)
    if kind is None:
        raise ScimError(404, f"No resource type {name!r}; there are User and Group.")
    return scim_response(discovery.resource_type(kind, base_url(request)))


@router.get("/Schemas", summary=f"The schemas of Users, Groups and their extensions. {ROLES}")
def schemas(request: Request, _: Provisioner) -> JSONResponse:
    _no_filter(request)
    return scim_response(discovery.list_of([discovery.schema(s, base_url(request)) for s in SCHEMAS]))


@router.get("/Schemas/{urn}", summary=f"One schema by its URN. {ROLES}")
def one_schema(urn: str, request: Request, _: Provisioner) -> JSONResponse:
    found = discovery.find_schema(urn)
    if found is None:
        raise ScimError(404, f"No schema {urn!r}.")
    return scim_response(discovery.schema(found, base_url(request)))


def _add_resource_routes(kind: ResourceKind, module: Any, key: str) -> None:
    """GET/POST on the collection, .search, and GET/PUT/PATCH/DELETE on one resource."""
    path, name = kind.endpoint, kind.name

    @router.get(path, summary=f"List or filter {name}s (filter, sortBy, startIndex, count). {ROLES}",
                name=f"list_{name}")
    def list_resources(request: Request, session: SessionDep, _: Provisioner) -> JSONResponse:
        query = listing.from_params(kind, dict(request.query_params))
        return scim_response(module.search(session=session, query=query, base_url=base_url(request)))

    @router.post(f"{path}/.search", summary=f"Search {name}s with a SearchRequest body. {ROLES}",
                 name=f"search_{name}", openapi_extra=BODY_EXAMPLES["search"])
    def search_resources(request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
        query = listing.from_search(kind, body)
        return scim_response(module.search(session=session, query=query, base_url=base_url(request)))

    @router.post(path, status_code=201, summary=f"Create a {name}. {ROLES}", name=f"create_{name}",
                 openapi_extra=BODY_EXAMPLES[name])
    def create(request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
        return _one(kind, request, module.create(session=session, body=body, base_url=base_url(request)), 201)

    @router.get(f"{path}/{{resource_id}}", summary=f"One {name}; If-None-Match answers 304. {ROLES}",
                name=f"get_{name}")
    def read(resource_id: str, request: Request, session: SessionDep, _: Provisioner) -> Response:
        resource = module.get(session=session, base_url=base_url(request), **{key: resource_id})
        etag = resource["meta"]["version"]
        if versions.matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers={"ETag": etag})
        return _one(kind, request, resource)

    @router.put(f"{path}/{{resource_id}}", summary=f"Replace a {name}; If-Match guards it. {ROLES}",
                name=f"replace_{name}", openapi_extra=BODY_EXAMPLES[name])
    def replace(resource_id: str, request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
        resource = module.replace(session=session, body=body, if_match=request.headers.get("if-match"),
                                  base_url=base_url(request), **{key: resource_id})
        return _one(kind, request, resource)

    @router.patch(f"{path}/{{resource_id}}", summary=f"Change a {name} (add, replace, remove). {ROLES}",
                  name=f"modify_{name}", openapi_extra=BODY_EXAMPLES["patch"])
    def modify(resource_id: str, request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
        resource = module.modify(session=session, body=body, if_match=request.headers.get("if-match"),
                                 base_url=base_url(request), **{key: resource_id})
        return _one(kind, request, resource)

    @router.delete(f"{path}/{{resource_id}}", status_code=204, name=f"delete_{name}",
                   summary=f"Delete a {name} (a User is deactivated and then answers 404). {ROLES}")
    def remove(resource_id: str, request: Request, session: SessionDep, _: Provisioner) -> Response:
        module.delete(session=session, if_match=request.headers.get("if-match"), **{key: resource_id})
        return Response(status_code=204)


_add_resource_routes(USER, users, "user_id")
_add_resource_routes(GROUP, groups, "group_id")


@router.post("/.search", summary=f"Search Users and Groups together with a SearchRequest body. {ROLES}",
             openapi_extra=BODY_EXAMPLES["search"])
def search_all(request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
    pairs: list[listing.Pair] = []
    refusals: list[ScimError] = []
    query: listing.ListQuery | None = None
    for kind, module in ((USER, users), (GROUP, groups)):
        try:
            query = listing.from_search(kind, body)
        except ScimError as exc:  # e.g. a filter on an attribute only the other resource type has
            refusals.append(exc)
            continue
        pairs += [(kind, r) for r in module.matching(session=session, query=query, base_url=base_url(request))]
    if query is None:
        raise refusals[0]
    return scim_response(listing.respond(listing.sort(pairs, query), query))


@router.post("/Bulk", summary=f"Many operations in one request (failOnErrors, bulkId references). {ROLES}",
             openapi_extra=BODY_EXAMPLES["bulk"])
def run_bulk(request: Request, session: SessionDep, _: Provisioner, body: Body) -> JSONResponse:
    return scim_response(bulk.process(session=session, body=body, base_url=base_url(request)))


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unknown_endpoint(rest: str, request: Request) -> JSONResponse:
    path = request.url.path
    known = [r for r in router.routes if isinstance(r, APIRoute) and r.name != "unknown_endpoint"
             and r.path_regex.match(path)]
    if known:
        allowed = sorted({m for r in known for m in r.methods or ()})
        return error_response(ScimError(405, f"{request.method} is not allowed on {path}; use {', '.join(allowed)}.",
                                        headers={"Allow": ", ".join(allowed)}))
    return error_response(ScimError(404, f"No SCIM endpoint at {path}; see {router.prefix}/ResourceTypes."))
