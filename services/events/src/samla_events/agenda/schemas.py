"""API shapes for the agenda."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_events.schematypes import LocalTime

Kind = Literal["opening", "dialogue", "qa", "break", "other"]


class AgendaItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Kind = Field(description="opening (kommundirektören), dialogue (a round at the tables), qa (questions to "
                                   "leadership), break, other")
    title: str = Field(min_length=1, max_length=200)
    starts_at: LocalTime
    ends_at: LocalTime
    round_no: int | None = Field(None, ge=1, le=20, description="Dialogue rounds only: 1, 2, ...")
    method: str | None = Field(None, max_length=200, description="Dialogue rounds: the dialogue method")
    questions: list[str] = Field(default_factory=list, max_length=20,
                                 description="Dialogue rounds: the questions the tables discuss")
    speaker: str | None = Field(None, max_length=200)


class Agenda(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [
        {"kind": "opening", "title": "Välkomna", "starts_at": "08:30", "ends_at": "09:00",
         "speaker": "Kommundirektören"},
        {"kind": "dialogue", "title": "Dialogrunda 1", "starts_at": "09:00", "ends_at": "09:45", "round_no": 1,
         "method": "Lyssnande samtal", "questions": ["Vad ger dig energi i chefsuppdraget?"]},
        {"kind": "break", "title": "Fika", "starts_at": "09:45", "ends_at": "10:15"},
        {"kind": "dialogue", "title": "Dialogrunda 2", "starts_at": "10:15", "ends_at": "11:00", "round_no": 2,
         "method": "Framtidsverkstad", "questions": ["Vad behöver vi göra annorlunda 2027?"]},
        {"kind": "qa", "title": "Frågor till ledningen", "starts_at": "15:15", "ends_at": "16:00",
         "speaker": "Ledningsgruppen"}]}]})

    items: list[AgendaItem] = Field(max_length=60, description="In time order")
