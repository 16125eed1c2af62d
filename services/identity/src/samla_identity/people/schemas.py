"""API shapes for people."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

LEVELS = ("kommundirektor", "forvaltningschef", "avdelningschef", "enhetschef", "medarbetare")


class PersonIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "p-1042", "name": "Karin Lindqvist", "email": "karin.lindqvist@kommun.example", "title": "Rektor",
        "level": "enhetschef", "org_unit_id": None, "manager_id": None, "location": "Centrum",
        "languages": ["sv"], "roles": []}]})

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@:\-]+$",
                    description="The identity provider's subject (sub)")
    name: str = Field(min_length=1, max_length=300)
    email: EmailStr | None = None
    title: str | None = Field(None, max_length=300)
    level: str | None = Field(None, description=f"One of {', '.join(LEVELS)}")
    org_unit_id: str | None = Field(None, max_length=200)
    manager_id: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=200)
    languages: list[str] = Field(default_factory=list, max_length=20)
    roles: list[str] = Field(default_factory=list, max_length=10)
    user_name: str | None = Field(None, max_length=300, description="SCIM userName / IdP username")
    external_id: str | None = Field(None, max_length=300, description="The id in the source directory")
    employee_number: str | None = Field(None, max_length=100)


class PersonOut(PersonIn):
    model_config = ConfigDict(from_attributes=True)

    email: str | None = None
    active: bool
    version: int
    updated_at: datetime
