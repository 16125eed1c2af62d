"""API shapes of the Keycloak sync: the report of one run and the status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PersonRef(BaseModel):
    id: str
    name: str


class PersonUpdate(PersonRef):
    changes: dict[str, dict[str, Any]] = Field(description='Per field {"from": old, "to": new}')


class UnitRef(BaseModel):
    id: str
    name: str
    kind: str
    parent_id: str | None


class UnitMove(UnitRef):
    from_parent_id: str | None


class IssueOut(BaseModel):
    code: str
    message: str
    message_en: str
    user_id: str | None = None
    group_id: str | None = None


class OrgUnitChanges(BaseModel):
    created: list[UnitRef] = Field(default_factory=list)
    moved: list[UnitMove] = Field(default_factory=list)
    updated: list[UnitRef] = Field(default_factory=list)


class SyncReport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "run_id": 7, "dry_run": True, "trigger": "api", "started_at": "2026-11-26T08:00:00Z",
        "finished_at": "2026-11-26T08:00:02Z",
        "counts": {"created": 1, "updated": 1, "deactivated": 0, "unchanged": 410, "skipped": 0,
                   "org_units_created": 0, "org_units_moved": 0, "org_units_updated": 0, "issues": 1,
                   "users_listed": 412, "users_counted": 412, "events": 0},
        "created": [{"id": "5b1c…", "name": "Karin Lindqvist"}],
        "updated": [{"id": "9e02…", "name": "Omar Haddad",
                     "changes": {"title": {"from": "Rektor", "to": "Biträdande rektor"}}}],
        "deactivated": [], "unchanged": ["…"], "org_units": {"created": [], "moved": [], "updated": []},
        "issues": [{"code": "kc_unknown_manager", "message": "anna har chefen 'bo', som inte finns i Keycloak; "
                    "ingen chef sätts.", "message_en": "anna has the manager 'bo', who is not in Keycloak; no "
                    "manager is set.", "user_id": "5b1c…"}]}]})

    run_id: int
    dry_run: bool
    trigger: str
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    created: list[PersonRef]
    updated: list[PersonUpdate]
    deactivated: list[PersonRef]
    unchanged: list[str]
    org_units: OrgUnitChanges
    issues: list[IssueOut]


class SyncRunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    started_at: datetime
    finished_at: datetime
    trigger: str
    dry_run: bool
    status: str
    counts: dict[str, int]
    issues: list[IssueOut]
    error: str | None


class SyncStatus(BaseModel):
    configured: bool
    interval_seconds: int = Field(description="0: no scheduled sync")
    last_run: SyncRunOut | None
