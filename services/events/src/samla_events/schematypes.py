"""Field types the events API shares: local times as HH:MM, person ids."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, PlainSerializer

# Local (Stockholm) clock time, written and read as "08:30".
LocalTime = Annotated[dt.time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
                      # A pattern, not format "time": that is RFC 3339's full-time, with seconds and an offset.
                      Field(json_schema_extra=lambda schema: _hh_mm(schema))]


def _hh_mm(schema: dict[str, Any]) -> None:
    schema.pop("format", None)
    schema.update(type="string", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", example="08:30")


PersonId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@:\-]+$",
                                description="The person's id (the IdP's sub)")]
