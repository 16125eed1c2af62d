"""Field types the events API shares: local times as HH:MM, person ids."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, PlainSerializer

# Local (Stockholm) clock time, written and read as "08:30".
LocalTime = Annotated[dt.time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
                      Field(json_schema_extra={"type": "string", "format": "time", "example": "08:30"})]
PersonId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@:\-]+$",
                                description="The person's id (the IdP's sub)")]
