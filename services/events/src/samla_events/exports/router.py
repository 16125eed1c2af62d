"""HTTP API for exports (`/events/{id}/exports/...`): lists, the caterer's summary, badges, table cards."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict

from samla_common.deps import SessionDep
from samla_events.access import Admin
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.deps import CheckinKeyDep, PolicyDep
from samla_events.exports import documents, service
from samla_events.exports.tabular import Cell, to_csv, to_xlsx
from samla_events.localtime import STOCKHOLM
from samla_events.registrations.needs import DIET_LABELS_SV

router = APIRouter(prefix="/events/{event_id}/exports", tags=["exports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class NeedOut(BaseModel):
    need: str
    label: str
    count: int
    names: list[str]


class DietaryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "registered": 452, "without_needs": 371,
        "tags": [{"need": "vegetarian", "label": "Vegetarisk", "count": 48, "names": []},
                 {"need": "nut_allergy", "label": "Nötallergi", "count": 3, "names": ["Karin Lindqvist"]}],
        "other": [{"need": "Ingen koriander", "label": "Ingen koriander", "count": 1, "names": []}]}]})

    registered: int
    without_needs: int
    tags: list[NeedOut]
    other: list[NeedOut]


def _file(content: bytes, media_type: str, event: Event, stem: str, ext: str) -> Response:
    filename = f"{stem}-{event.day.isoformat()}.{ext}"
    return Response(content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{filename}"'})


def _table(event: Event, fmt: Format, stem: str, sheet: str, headers: list[str], rows: list[list[Cell]]) -> Response:
    if fmt is Format.CSV:
        return _file(to_csv(headers, rows), "text/csv; charset=utf-8", event, stem, "csv")
    return _file(to_xlsx(sheet, headers, rows), XLSX, event, stem, "xlsx")


FILES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, XLSX: {}}, "description": "The file"}}


@router.get("/participants.{fmt}", response_class=Response, responses=FILES,
            summary="The participant list to share: only people who consented to be listed (CSV for Swedish Excel "
                    "or XLSX). Roles: samla-admin.")
def participants(event_id: str, fmt: Format, session: SessionDep, _: Admin) -> Response:
    event, people = service.registered(session=session, event_id=event_id, listed_only=True)
    rounds = service.rounds(session=session, event_id=event_id)
    headers = ["Namn", "Titel", "Organisation", *(f"Bord runda {r}" for r in rounds)]
    rows: list[list[Cell]] = [[p.invitation.name, p.invitation.title, p.invitation.org_unit_name,
                               *(p.tables.get(r) for r in rounds)] for p in people]
    return _table(event, fmt, "deltagare", "Deltagare", headers, rows)


@router.get("/attendance.{fmt}", response_class=Response, responses=FILES,
            summary="Everyone registered with their check-in (date, time, entrance): the organiser's own list, "
                    "not for sharing. Roles: samla-admin.")
def attendance(event_id: str, fmt: Format, session: SessionDep, _: Admin) -> Response:
    event, people = service.registered(session=session, event_id=event_id)
    headers = ["Nr", "Namn", "E-post", "Organisation", "Incheckad datum", "Incheckad tid", "Entré",
               "Kom utan anmälan", "Behöver tillgänglig plats"]
    rows: list[list[Cell]] = []
    for p in people:
        at = p.registration.checked_in_at
        local = at.astimezone(STOCKHOLM) if at else None
        rows.append([p.registration.number, p.invitation.name, p.invitation.email, p.invitation.org_unit_name,
                     local.date() if local else None, local.time() if local else None,
                     p.registration.checked_in_entrance, p.registration.walk_in,
                     p.registration.needs_accessible_seat])
    return _table(event, fmt, "narvaro", "Närvaro", headers, rows)


@router.get("/dietary", response_model=DietaryOut,
            summary="Dietary summary for the caterer: counts per need, names only where the person allowed it. "
                    "Roles: samla-admin.")
def dietary(event_id: str, session: SessionDep, _: Admin) -> DietaryOut:
    s = service.dietary(session=session, event_id=event_id)
    return DietaryOut(registered=s.registered, without_needs=s.without_needs,
                      tags=[NeedOut(need=n.need, label=DIET_LABELS_SV.get(n.need, n.need), count=n.count,
                                    names=n.names) for n in s.tags],
                      other=[NeedOut(need=n.need, label=n.need, count=n.count, names=n.names) for n in s.other])


@router.get("/dietary.{fmt}", response_class=Response, responses=FILES,
            summary="The caterer's summary as a file (CSV or XLSX). Roles: samla-admin.")
def dietary_file(event_id: str, fmt: Format, session: SessionDep, _: Admin) -> Response:
    event = chefsdag.get(session=session, event_id=event_id)
    s = service.dietary(session=session, event_id=event_id)
    rows: list[list[Cell]] = [[DIET_LABELS_SV.get(n.need, n.need), n.count, ", ".join(n.names)] for n in s.tags]
    rows += [[f"Övrigt: {n.need}", n.count, ", ".join(n.names)] for n in s.other]
    rows += [["Inga särskilda behov", s.without_needs, ""], ["Anmälda totalt", s.registered, ""]]
    return _table(event, fmt, "specialkost", "Specialkost", ["Behov", "Antal", "Namn (när personen medgett)"], rows)


@router.get("/badges.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "Badges, eight per A4 sheet"}},
            summary="Name badges: name, org unit, check-in QR code, table per round once seated. Roles: samla-admin.")
def badges(event_id: str, session: SessionDep, key: CheckinKeyDep, policy: PolicyDep, _: Admin) -> Response:
    event, items = service.badges(session=session, event_id=event_id, key=key, policy=policy)
    return _file(documents.badges_pdf(event, items), "application/pdf", event, "namnbrickor", "pdf")


@router.get("/table-cards.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "One folded card per table"}},
            summary="Table cards (one tent card per table, accessible tables marked). Roles: samla-admin.")
def table_cards(event_id: str, session: SessionDep, _: Admin) -> Response:
    event = chefsdag.get(session=session, event_id=event_id)
    return _file(documents.table_cards_pdf(event, service.table_labels(event)), "application/pdf", event,
                 "bordskort", "pdf")
