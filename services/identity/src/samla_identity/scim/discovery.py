"""What the server says about itself (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas."""

from __future__ import annotations

from typing import Any

from samla_identity.scim.attributes import GROUP, SCHEMAS, USER, ResourceKind, Schema
from samla_identity.scim.listing import LIST_SCHEMA, MAX_RESULTS

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
KINDS = (USER, GROUP)
MAX_OPERATIONS = 1000
MAX_PAYLOAD_BYTES = 4 * 1024 * 1024


def service_provider_config(base_url: str) -> dict[str, Any]:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://samla.se/docs/scim",
        "patch": {"supported": True},
        "bulk": {"supported": True, "maxOperations": MAX_OPERATIONS, "maxPayloadSize": MAX_PAYLOAD_BYTES},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": True},
        "etag": {"supported": True},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": True,
            "description": "An access token from the municipality's identity provider with the scope "
                           "scim:provision, or the role samla-service or samla-admin."}],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base_url}/ServiceProviderConfig"},
    }


def resource_type(kind: ResourceKind, base_url: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA], "id": kind.name, "name": kind.name, "endpoint": kind.endpoint,
        "description": kind.description, "schema": kind.core.id,
        "schemaExtensions": [{"schema": e.id, "required": False} for e in kind.extensions],
        "meta": {"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/{kind.name}"},
    }


def schema(definition: Schema, base_url: str) -> dict[str, Any]:
    return {
        "schemas": [SCHEMA_SCHEMA], "id": definition.id, "name": definition.name,
        "description": definition.description, "attributes": [a.to_json() for a in definition.attrs],
        "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{definition.id}"},
    }


def find_resource_type(name: str) -> ResourceKind | None:
    return next((k for k in KINDS if k.name.lower() == name.lower()), None)


def find_schema(urn: str) -> Schema | None:
    return next((s for s in SCHEMAS if s.id.lower() == urn.lower()), None)


def list_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [LIST_SCHEMA], "totalResults": len(resources), "startIndex": 1,
            "itemsPerPage": len(resources), "Resources": resources}
