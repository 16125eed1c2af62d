"""Bulk (RFC 7644 §3.7): many operations in one request and one transaction, each in its own savepoint.

Operations run in the order sent; `bulkId:<id>` in a later operation's path or data stands for the id of the
resource an earlier POST created (forward references are refused). After `failOnErrors` failures the rest is
not run. Each operation's effect, outbox event included, is kept or undone with its savepoint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from samla_identity.scim import groups, users
from samla_identity.scim.discovery import MAX_OPERATIONS
from samla_identity.scim.errors import ScimError, as_scim_error, error_document, invalid_syntax, invalid_value

BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def process(*, session: Session, body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Runs a BulkRequest; the BulkResponse lists each operation's outcome."""
    if BULK_REQUEST not in (body.get("schemas") or []):
        raise invalid_syntax(f"A bulk body must have schemas [\"{BULK_REQUEST}\"].")
    operations = body.get("Operations")
    if not isinstance(operations, list):
        raise invalid_syntax("A bulk body needs an Operations list.")
    if len(operations) > MAX_OPERATIONS:
        raise ScimError(413, f"The request has {len(operations)} operations; the most one bulk request may "
                             f"carry is {MAX_OPERATIONS}. Split it.")
    fail_on_errors = body.get("failOnErrors")
    if fail_on_errors is not None and (isinstance(fail_on_errors, bool) or not isinstance(fail_on_errors, int)
                                       or fail_on_errors < 1):
        raise invalid_value("failOnErrors must be a positive integer.")
    created: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    errors = 0
    for operation in operations:
        if fail_on_errors is not None and errors >= fail_on_errors:
            break
        result = _operation(session, operation, created, base_url)
        errors += int(result["status"]) >= 400
        results.append(result)
    return {"schemas": [BULK_RESPONSE], "Operations": results}


def _operation(session: Session, operation: Any, created: dict[str, str], base_url: str) -> dict[str, Any]:
    op = operation if isinstance(operation, dict) else {}
    method = str(op.get("method", "")).upper()
    result: dict[str, Any] = {"method": method}
    if op.get("bulkId") is not None:
        result["bulkId"] = op["bulkId"]
    try:
        with session.begin_nested():
            status, resource = _run(session, op, method, created, base_url)
    except Exception as exc:  # each failure becomes that operation's result (an unexpected one a logged 500)
        error = as_scim_error(exc)
        result.update(status=str(error.status), response=error_document(error.status, error.detail,
                                                                         error.scim_type))
        return result
    result["status"] = str(status)
    if resource is not None:
        result["location"], result["version"] = resource["meta"]["location"], resource["meta"]["version"]
        if method == "POST":
            created[str(op["bulkId"])] = resource["id"]
    return result


def _run(session: Session, op: dict[str, Any], method: str, created: dict[str, str],
         base_url: str) -> tuple[int, dict[str, Any] | None]:
    if method not in _METHODS:
        raise invalid_syntax(f"method must be one of {', '.join(_METHODS)}, not {op.get('method')!r}.")
    if method == "POST" and not op.get("bulkId"):
        raise invalid_syntax("A bulk POST needs a bulkId, so later operations and the response can refer to it.")
    path = _resolve(op.get("path"), created)
    if not isinstance(path, str):
        raise invalid_syntax("Each operation needs a path such as /Users or /Users/{id}.")
    endpoint, _, resource_id = path.strip("/").partition("/")
    module: Any = {"users": users, "groups": groups}.get(endpoint.lower())
    if module is None or (method == "POST") == bool(resource_id):
        raise invalid_syntax(f"{method} {path}: use POST /Users or /Groups, or PUT, PATCH, DELETE on "
                             "/Users/{id} or /Groups/{id}.")
    data = _resolve(op.get("data"), created)
    if method != "DELETE" and not isinstance(data, dict):
        raise invalid_syntax(f"{method} {path} needs data: the resource or PatchOp as an object.")
    key = "user_id" if module is users else "group_id"
    version = op.get("version")
    if method == "POST":
        return 201, module.create(session=session, body=data, base_url=base_url)
    if method == "DELETE":
        module.delete(session=session, if_match=version, **{key: resource_id})
        return 204, None
    change = module.replace if method == "PUT" else module.modify
    return 200, change(session=session, body=data, if_match=version, base_url=base_url, **{key: resource_id})


def _resolve(value: Any, created: dict[str, str]) -> Any:
    """Replaces `bulkId:<id>` (whole strings and path segments) with the ids earlier POSTs created."""
    if isinstance(value, dict):
        return {k: _resolve(v, created) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, created) for v in value]
    if isinstance(value, str) and "bulkId:" in value:
        head, _, ref = value.partition("bulkId:")
        if ref not in created:
            raise ScimError(409, f"bulkId:{ref} is not the bulkId of an earlier successful POST in this request; "
                                 "put the operation that creates it first.", "invalidValue")
        return head + created[ref]
    return value
