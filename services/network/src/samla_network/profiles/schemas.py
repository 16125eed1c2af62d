"""API shapes of a person's matching profile."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_network.profiles.tags import DEFAULT_SHARE

ShareField = Literal["title", "challenges", "challenges_text", "languages", "availability", "location",
                     "years_as_manager"]


def _default_share() -> list[ShareField]:
    return [field for field in ShareField.__args__ if field in DEFAULT_SHARE]  # type: ignore[attr-defined]


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "challenges": ["rekrytering", "arbetsmiljo"], "challenges_text": "Att behålla sjuksköterskor",
        "languages": ["sv", "en"], "availability": ["tis-fm", "tor-em"], "location": "Centrum",
        "years_as_manager": 4, "opted_out": False, "share": ["title", "challenges", "languages"]}]})

    challenges: list[str] = Field(default_factory=list, max_length=8,
                                  description="Ids from GET /profile/options (at most 8)")
    challenges_text: str = Field("", max_length=500, description="In your own words (can become a public record)")
    languages: list[str] = Field(default_factory=lambda: ["sv"], max_length=10,
                                 description="Language codes you can meet in, e.g. sv, en, fi")
    availability: list[str] = Field(default_factory=list, max_length=14,
                                    description="Time slots that suit you, e.g. mon-am, tis-em")
    location: str | None = Field(None, max_length=200, description="Where you can meet in person")
    years_as_manager: float | None = Field(None, ge=0, le=60)
    opted_out: bool = Field(False, description="True: do not include me in any new network")
    share: list[ShareField] = Field(default_factory=_default_share,
                                    description="What the members of your networks may see")


class ProfileOut(ProfileIn):
    model_config = ConfigDict(extra="ignore")

    person_id: str
    saved: bool = Field(description="False when nothing is saved yet and these are the defaults")


class TagOut(BaseModel):
    id: str
    label_sv: str
    label_en: str


class OptionsOut(BaseModel):
    challenges: list[TagOut]
    shareable: list[str]
