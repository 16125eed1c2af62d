"""The attributes Samla serves over SCIM (RFC 7643 §7 definitions), and reading client input against them.

One set of definitions drives the `/Schemas` documents, input checking, filters (case sensitivity and types),
PATCH paths and `attributes`/`excludedAttributes`. Only attributes Samla stores are declared, so a client can
trust that what it writes comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from samla_identity.scim.errors import invalid_value

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SAMLA_USER = "urn:samla:params:scim:schemas:extension:samla:2.0:User"
SAMLA_GROUP = "urn:samla:params:scim:schemas:extension:samla:2.0:Group"


@dataclass(frozen=True)
class Attr:
    name: str
    type: str = "string"  # string, boolean, decimal, integer, dateTime, reference, complex
    multi: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"  # readOnly, readWrite, immutable, writeOnly
    returned: str = "default"  # always, never, default, request
    uniqueness: str = "none"
    subs: tuple[Attr, ...] = ()
    canonical: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    description: str = ""

    def sub(self, name: str) -> Attr | None:
        return next((s for s in self.subs if s.name.lower() == name.lower()), None)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name, "type": self.type, "multiValued": self.multi, "description": self.description,
            "required": self.required, "caseExact": self.case_exact, "mutability": self.mutability,
            "returned": self.returned, "uniqueness": self.uniqueness}
        if self.subs:
            body["subAttributes"] = [s.to_json() for s in self.subs]
        if self.canonical:
            body["canonicalValues"] = list(self.canonical)
        if self.reference_types:
            body["referenceTypes"] = list(self.reference_types)
        return body


@dataclass(frozen=True)
class Schema:
    id: str
    name: str
    description: str
    attrs: tuple[Attr, ...]

    def attr(self, name: str) -> Attr | None:
        return next((a for a in self.attrs if a.name.lower() == name.lower()), None)


@dataclass(frozen=True)
class ResourceKind:
    name: str
    endpoint: str
    description: str
    core: Schema
    extensions: tuple[Schema, ...]

    @property
    def urns(self) -> list[str]:
        return [self.core.id, *(e.id for e in self.extensions)]

    def extension(self, urn: str) -> Schema | None:
        return next((e for e in self.extensions if e.id.lower() == urn.lower()), None)

    def resolve(self, urn: str | None, name: str) -> tuple[str | None, Attr] | None:
        """Where an attribute lives: (None, attr) at the top level or (extension urn, attr); None if unknown."""
        if urn is None or urn.lower() == self.core.id.lower():
            found = self.core.attr(name) or next((a for a in COMMON if a.name.lower() == name.lower()), None)
            return (None, found) if found else None
        ext = self.extension(urn)
        found = ext.attr(name) if ext else None
        return (ext.id, found) if ext and found else None


def _ref(name: str, types: tuple[str, ...], desc: str) -> Attr:
    return Attr(name, "reference", reference_types=types, description=desc)


COMMON = (
    Attr("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server",
         description="Samla's id: the person's sign-in subject, or the org unit id."),
    Attr("externalId", case_exact=True, description="The id of the resource in the provisioning client."),
    Attr("meta", "complex", mutability="readOnly", subs=(
        Attr("resourceType", case_exact=True, mutability="readOnly"),
        Attr("created", "dateTime", mutability="readOnly"),
        Attr("lastModified", "dateTime", mutability="readOnly"),
        Attr("location", "reference", mutability="readOnly", reference_types=("uri",)),
        Attr("version", case_exact=True, mutability="readOnly"))),
)

_MULTI_SUBS = (Attr("type", canonical=("work",)), Attr("primary", "boolean"))

USER_SCHEMA = Schema(CORE_USER, "User", "A manager in the municipality's directory.", (
    Attr("userName", required=True, uniqueness="server",
         description="Unique sign-in name (case-insensitive), e.g. the UPN."),
    Attr("name", "complex", description="The person's name.", subs=(
        Attr("formatted"), Attr("familyName"), Attr("givenName"))),
    Attr("displayName", description="The name shown in Samla; becomes the person's name."),
    Attr("title", description="Job title, e.g. Rektor."),
    Attr("preferredLanguage", description="The person's preferred language; the Samla languages when "
                                          "those are not sent."),
    Attr("active", "boolean", description="false: gone from the organisation (kept for history)."),
    Attr("emails", "complex", multi=True, description="Only the primary (work) address is kept.",
         subs=(Attr("value"), *_MULTI_SUBS)),
    Attr("addresses", "complex", multi=True, description="The work address's locality is the person's location.",
         subs=(Attr("locality"), *_MULTI_SUBS)),
))

ENTERPRISE_SCHEMA = Schema(ENTERPRISE_USER, "EnterpriseUser", "Enterprise User extension (RFC 7643 §4.3).", (
    Attr("employeeNumber", description="HR's employee number."),
    Attr("department", description="Org unit by id or name; kept as sent."),
    Attr("manager", "complex", description="The person's manager (a User id).", subs=(
        Attr("value", case_exact=True), _ref("$ref", ("User",), "The manager's URI."),
        Attr("displayName", mutability="readOnly"))),
))

LEVELS = ("kommundirektor", "forvaltningschef", "avdelningschef", "enhetschef", "medarbetare")
KINDS = ("kommunkoncern", "forvaltning", "bolag", "avdelning", "enhet")

SAMLA_USER_SCHEMA = Schema(SAMLA_USER, "SamlaUser", "Samla's attributes of a manager.", (
    Attr("level", canonical=LEVELS, description="Management level."),
    Attr("languages", multi=True, description="Languages the person works in."),
    Attr("subject", case_exact=True, mutability="immutable",
         description="The sign-in subject (the IdP's sub); becomes the id when sent at creation."),
))

GROUP_SCHEMA = Schema(CORE_GROUP, "Group", "An org unit (kommunkoncern, förvaltning, bolag, avdelning, enhet).", (
    Attr("displayName", required=True, description="The org unit's name."),
    Attr("members", "complex", multi=True, mutability="readOnly",
         description="Active people placed in this unit (set a person's department to move them).", subs=(
             Attr("value", case_exact=True, mutability="readOnly"),
             _ref("$ref", ("User",), "The member's URI."),
             Attr("display", mutability="readOnly"),
             Attr("type", mutability="readOnly", canonical=("User",)))),
))

SAMLA_GROUP_SCHEMA = Schema(SAMLA_GROUP, "SamlaGroup", "Where the org unit sits in the tree.", (
    Attr("kind", canonical=KINDS, description="Kind of unit; enhet when not given."),
    Attr("parent", "complex", description="The parent org unit (a Group id).", subs=(
        Attr("value", case_exact=True), _ref("$ref", ("Group",), "The parent's URI."),
        Attr("display", mutability="readOnly"))),
))

USER = ResourceKind("User", "/Users", "Managers", USER_SCHEMA, (ENTERPRISE_SCHEMA, SAMLA_USER_SCHEMA))
GROUP = ResourceKind("Group", "/Groups", "Org units", GROUP_SCHEMA, (SAMLA_GROUP_SCHEMA,))
SCHEMAS = (USER_SCHEMA, ENTERPRISE_SCHEMA, SAMLA_USER_SCHEMA, GROUP_SCHEMA, SAMLA_GROUP_SCHEMA)


def normalize(kind: ResourceKind, body: dict[str, Any]) -> dict[str, Any]:
    """A client's resource in canonical form: known writable attributes only, names as declared, types checked.

    Attribute names are case-insensitive (RFC 7643 §2.1); read-only and unknown attributes are ignored.
    """
    out: dict[str, Any] = {}
    for key, value in body.items():
        ext = kind.extension(key)
        if ext is not None:
            if value is not None:
                if not isinstance(value, dict):
                    raise invalid_value(f"{ext.id} must be an object of extension attributes.")
                out[ext.id] = {**out.get(ext.id, {}), **_attrs(ext.attrs, value, ext.id)}
            continue
        urn, _, name = key.rpartition(":")
        found = kind.resolve(urn or None, name)
        if found is None or found[1].mutability == "readOnly":
            continue
        where, attr = found
        coerced = coerce(attr, value, key)
        if where is None:
            out[attr.name] = coerced
        else:
            out.setdefault(where, {})[attr.name] = coerced
    return out


def _attrs(defs: tuple[Attr, ...], body: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in body.items():
        attr = next((a for a in defs if a.name.lower() == key.lower()), None)
        if attr is not None and attr.mutability != "readOnly":
            out[attr.name] = coerce(attr, value, f"{where}:{attr.name}")
    return out


def coerce(attr: Attr, value: Any, where: str) -> Any:
    """Checks one attribute value against its definition; lenient where clients commonly differ."""
    if value is None:
        return None
    if attr.multi:
        items = [_single(attr, v, where) for v in (value if isinstance(value, list) else [value])]
        return [v for v in items if v is not None]
    return _single(attr, value, where)


def _single(attr: Attr, value: Any, where: str) -> Any:
    if value is None:
        return None
    if attr.type == "complex":
        if isinstance(value, str) and attr.sub("value") is not None:
            return {"value": value}  # Entra ID sends a manager as the bare id
        if not isinstance(value, dict):
            raise invalid_value(f"{where} must be an object with {', '.join(s.name for s in attr.subs)}.")
        return _attrs(attr.subs, value, where)
    if attr.type == "boolean":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"  # Entra ID sends "True"/"False" in PATCH values
        if not isinstance(value, bool):
            raise invalid_value(f"{where} must be true or false, not {value!r}.")
        return value
    if attr.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid_value(f"{where} must be an integer, not {value!r}.")
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid_value(f"{where} must be a string, not {type(value).__name__}.")
    text = str(value)
    if attr.type == "dateTime":
        parse_datetime(text, where)
    return text


def parse_datetime(text: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid_value(f"{where} must be an xsd:dateTime such as 2026-11-26T09:00:00Z, not {text!r}.") from exc
