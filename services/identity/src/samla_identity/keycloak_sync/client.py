"""Reading the directory from Keycloak's Admin REST API with python-keycloak (client credentials).

The sync client needs the realm-management roles view-users and query-groups. Custom user attributes (level,
manager, title, location, employeeNumber, department) must be declared in the realm's user profile or the realm
must keep unmanaged attributes, otherwise Keycloak 24+ leaves them out of UserRepresentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from keycloak import KeycloakAdmin
from keycloak.exceptions import KeycloakGetError

from samla_identity.config import Settings

PAGE_SIZE = 100
SAMLA_ROLES = ("samla-admin", "samla-facilitator", "samla-leadership")


@dataclass(frozen=True)
class Group:
    """One Keycloak group, a node of the org tree."""

    id: str
    name: str
    path: str
    parent_id: str | None
    depth: int
    attributes: dict[str, list[str]]
    realm_roles: tuple[str, ...]


@dataclass
class Snapshot:
    """What Keycloak said in one sync: users, the group tree (parents first), memberships, direct role members."""

    users: list[dict[str, Any]]
    users_count: int
    groups: list[Group]
    memberships: dict[str, list[str]] = field(default_factory=dict)  # user id → group ids
    role_members: dict[str, set[str]] = field(default_factory=dict)  # realm role → user ids


class KeycloakDirectory:
    """A read-only view of one realm."""

    def __init__(self, admin: KeycloakAdmin) -> None:
        self.admin = admin

    def fetch(self) -> Snapshot:
        """Reads users (paged with first/max), the group tree with memberships, and who holds Samla's roles."""
        count = self.admin.users_count()
        users: dict[str, dict[str, Any]] = {}
        first = 0
        while True:
            page = self.admin.get_users({"first": first, "max": PAGE_SIZE, "briefRepresentation": False})
            # A user created or deleted mid-listing shifts the pages; keying by id drops any repeat.
            users.update((u["id"], u) for u in page)
            if len(page) < PAGE_SIZE:
                break
            first += PAGE_SIZE
        groups = self._groups()
        memberships: dict[str, list[str]] = {}
        for group in groups:
            for member in self.admin.get_group_members(group.id, {"briefRepresentation": True}):
                memberships.setdefault(member["id"], []).append(group.id)
        return Snapshot(users=list(users.values()), users_count=count, groups=groups, memberships=memberships,
                        role_members={role: self._role_members(role) for role in SAMLA_ROLES})

    def exists(self, user_id: str) -> bool:
        """Asks for one user, so that a user missed by shifting pages is not taken for gone."""
        try:
            self.admin.get_user(user_id)
        except KeycloakGetError as exc:
            if exc.response_code == 404:
                return False
            raise
        return True

    def _groups(self) -> list[Group]:
        """The whole tree, parents before children. Keycloak 23+ lists only top-level groups with a subGroupCount;
        older versions nest every subGroup. Both shapes are read."""
        out: list[Group] = []
        top = self.admin.get_groups({"briefRepresentation": False})
        stack: list[tuple[dict[str, Any], str | None, int]] = [(g, None, 0) for g in reversed(top)]
        while stack:
            rep, parent_id, depth = stack.pop()
            group = Group(id=rep["id"], name=rep["name"], path=rep.get("path") or f"/{rep['name']}",
                          parent_id=parent_id, depth=depth, attributes=rep.get("attributes") or {},
                          realm_roles=tuple(rep.get("realmRoles") or ()))
            out.append(group)
            children = rep.get("subGroups") or []
            if int(rep.get("subGroupCount") or 0) > len(children) or (children and "attributes" not in children[0]):
                children = self.admin.get_group_children(rep["id"], {"briefRepresentation": False})
            stack.extend((c, group.id, depth + 1) for c in reversed(children))
        return out

    def _role_members(self, role: str) -> set[str]:
        try:
            return {u["id"] for u in self.admin.get_realm_role_members(role, {"briefRepresentation": True})}
        except KeycloakGetError as exc:
            if exc.response_code == 404:  # the realm does not define this role
                return set()
            raise


def connect(settings: Settings) -> KeycloakDirectory:
    """Signs in with the sync client's credentials (the token request goes to the realm's token endpoint)."""
    secret = settings.keycloak_client_secret.get_secret_value() if settings.keycloak_client_secret else None
    admin = KeycloakAdmin(server_url=settings.keycloak_url.rstrip("/") + "/", realm_name=settings.keycloak_realm,
                          client_id=settings.keycloak_client_id, client_secret_key=secret,
                          grant_type="client_credentials", timeout=30)
    admin.connection.get_token()
    return KeycloakDirectory(admin)

