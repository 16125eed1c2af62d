"""HTTP API for budget and vision processes: the process, its structured input, decisions, follow-up, the
leadership report and each manager's notifications."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, CurrentPrincipal, Principal
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden, NotFound
from samla_feedback.api import ID_PATTERN, Admin, ObjectId, problems
from samla_feedback.participants.directory import person_name
from samla_feedback.processes import decisions, inputs, pdf, report
from samla_feedback.processes import service as processes
from samla_feedback.processes.models import Decision, Notification, Process
from samla_feedback.processes.schemas import (
    AreaIn,
    DecisionIn,
    DecisionOut,
    NotificationOut,
    PhaseIn,
    ProcessIn,
    ProcessOut,
)

router = APIRouter(tags=["processes"])
ProcessId = Annotated[str, Path(min_length=1, max_length=200, pattern=ID_PATTERN, examples=["budget-2027"])]
EventQuery = Annotated[str, Query(min_length=1, max_length=200, pattern=ID_PATTERN)]
INPUT_ROLES = "Roles: samla-leadership, samla-admin, samla-facilitator, and the process owner."


async def person(principal: CurrentPrincipal) -> Principal:
    """A signed-in person (a manager or staff); integration clients stay on /integration."""
    if not principal.is_person:
        raise Forbidden("Integration clients may call only the /integration endpoints.")
    return principal


Person = Annotated[Principal, Depends(person)]


def input_process(process_id: ProcessId, session: SessionDep, principal: Person) -> Process:
    """The process, for someone allowed to see its input (checked before anything else in the request is read).
    Others learn nothing, not even whether it exists."""
    process = session.get(Process, process_id)
    staff = principal.has_any((LEADERSHIP, ADMIN, FACILITATOR))
    if not staff and (process is None or process.owner_id != principal.sub):
        raise Forbidden("This needs one of the roles: samla-leadership, samla-admin, samla-facilitator, "
                        "or to own the process.")
    if process is None:
        raise NotFound(f"No process with id {process_id!r}.")
    return process


def decision_process(process_id: ProcessId, session: SessionDep, principal: Person) -> Process:
    """The process, for leadership or its owner."""
    process = session.get(Process, process_id)
    if not principal.has_any((LEADERSHIP,)) and (process is None or process.owner_id != principal.sub):
        raise Forbidden("This needs one of the roles: samla-leadership, or to own the process.")
    if process is None:
        raise NotFound(f"No process with id {process_id!r}.")
    return process


InputProcess = Annotated[Process, Depends(input_process)]
DecisionProcess = Annotated[Process, Depends(decision_process)]


def _out(process: Process) -> ProcessOut:
    return ProcessOut(id=process.id, title=process.title, kind=process.kind, owner_id=process.owner_id,
                      description=process.description, series=process.series, year=process.year,
                      phases=[PhaseIn(**p) for p in process.phases], current_phase=processes.current_phase(process),
                      event_ids=process.event_ids, prompt_ids=process.prompt_ids,
                      areas=[AreaIn(**a) for a in process.areas], created_at=process.created_at,
                      updated_at=process.updated_at)


def _decision_out(session: Session, d: Decision, notified: int | None = None) -> DecisionOut:
    return DecisionOut(process_id=d.process_id, subject_id=d.subject_id, subject_kind=d.subject_kind, title=d.title,
                       status=d.status, owner_id=d.owner_id,
                       owner_name=person_name(session=session, person_id=d.owner_id) if d.owner_id else None,
                       response=d.response, updated_at=d.updated_at, notified=notified)


@router.post("/processes", response_model=ProcessOut, status_code=201, responses=problems(409),
             summary="Create a budget or vision process: phases, linked events and prompts, areas. "
                     "Roles: samla-admin.")
def create_process(body: ProcessIn, session: SessionDep, _: Admin) -> ProcessOut:
    return _out(processes.create(session=session, body=body))


@router.get("/processes", response_model=list[ProcessOut], responses=problems(),
            summary="Every process (what it asks and when). Any signed-in person.")
def list_processes(session: SessionDep, _: Person) -> list[ProcessOut]:
    return [_out(p) for p in processes.list_all(session=session)]


@router.get("/processes/{process_id}", response_model=ProcessOut, responses=problems(404),
            summary="One process. Any signed-in person.")
def get_process(process_id: ProcessId, session: SessionDep, _: Person) -> ProcessOut:
    return _out(processes.get(session=session, process_id=process_id))


@router.put("/processes/{process_id}", response_model=ProcessOut, responses=problems(404),
            summary="Edit a process. Roles: samla-admin.")
def put_process(process_id: ProcessId, body: ProcessIn, session: SessionDep, _: Admin) -> ProcessOut:
    return _out(processes.update(session=session, process_id=process_id, body=body))


@router.get("/processes/{process_id}/input", responses=problems(404),
            summary="Structured input: per priority/ranking prompt, totals and spread (min, quartiles, max, standard "
                    f"deviation) per area, overall and per group, k-protected against differencing. {INPUT_ROLES}")
def get_input(process_id: ProcessId, session: SessionDep, process: InputProcess,
              event_id: Annotated[str | None, Query(max_length=200, pattern=ID_PATTERN)] = None,
              ) -> list[dict[str, Any]]:
    return inputs.process_input(session=session, process=process, event_ids=[event_id] if event_id else None)


@router.get("/processes/{process_id}/input/compare", responses=problems(404),
            summary="Compare two events of the process (spring and autumn): means per area for the groups "
                    f"published in both. {INPUT_ROLES}")
def compare_input(process_id: ProcessId, a: EventQuery, b: EventQuery, session: SessionDep,
                  process: InputProcess) -> list[dict[str, Any]]:
    return inputs.compare(session=session, process=process, event_a=a, event_b=b)


@router.get("/processes/{process_id}/trend", responses=problems(404),
            summary="The trend across years: processes with the same series key, oldest first, mean and share of "
                    f"points per area. {INPUT_ROLES}")
def get_trend(process_id: ProcessId, session: SessionDep, process: InputProcess) -> list[dict[str, Any]]:
    return inputs.trend(session=session, process=process)


@router.put("/processes/{process_id}/decisions/{subject_id}", response_model=DecisionOut,
            responses=problems(404, 409),
            summary="Set a theme's or area's owner, status (received → under_consideration → decided → implemented "
                    "| not_pursued) and written response; contributors who answered under their name are notified. "
                    "Roles: samla-leadership, and the process owner.")
def put_decision(process_id: ProcessId, subject_id: ProcessId, body: DecisionIn, session: SessionDep,
                 principal: Person, process: DecisionProcess) -> DecisionOut:
    row, notified = decisions.decide(session=session, process=process, subject_id=subject_id, status=body.status,
                                     owner_id=body.owner_id, response=body.response, by=principal.sub)
    return _decision_out(session, row, notified)


@router.get("/processes/{process_id}/follow-up", responses=problems(404),
            summary="The public follow-up: what happened with our input (status and response per theme and area, "
                    "and the log). Counts and decisions only, no answers. Any signed-in person.")
def get_follow_up(process_id: ProcessId, session: SessionDep, _: Person) -> dict[str, Any]:
    return report.follow_up(session=session, process=processes.get(session=session, process_id=process_id))


@router.get("/processes/{process_id}/report", responses=problems(404),
            summary="The leadership report as JSON: what was asked, participation per administration, priorities, "
                    f"themes with k-protected quotes, the decision log. {INPUT_ROLES}")
def get_report(process_id: ProcessId, session: SessionDep, process: InputProcess) -> dict[str, Any]:
    return report.leadership_report(session=session, process=process)


@router.get("/processes/{process_id}/report.pdf", response_class=Response, responses={
    **problems(404), 200: {"content": {"application/pdf": {}}, "description": "The report"}},
            summary=f"The leadership report as PDF, with bar charts. {INPUT_ROLES}")
def get_report_pdf(process_id: ProcessId, session: SessionDep, process: InputProcess) -> Response:
    body = pdf.render(report.leadership_report(session=session, process=process))
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{process.id}-rapport.pdf"'})


@router.get("/me/notifications", response_model=list[NotificationOut], responses=problems(),
            summary="The caller's notifications: status changes of themes they contributed to under their name. "
                    "Any signed-in person.")
def my_notifications(session: SessionDep, principal: Person,
                     unread: Annotated[bool, Query(description="Only unread ones")] = False) -> list[NotificationOut]:
    rows = decisions.notifications(session=session, person_id=principal.sub, unread_only=unread)
    return [_notification_out(n) for n in rows]


@router.post("/me/notifications/{notification_id}/read", response_model=NotificationOut, responses=problems(404),
             summary="Mark one of the caller's notifications read. Any signed-in person.")
def read_notification(notification_id: ObjectId, session: SessionDep, principal: Person) -> NotificationOut:
    return _notification_out(decisions.mark_read(session=session, person_id=principal.sub,
                                                 notification_id=notification_id))


def _notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, process_id=n.process_id, subject_id=n.subject_id, title=n.title, status=n.status,
                           message=n.message, created_at=n.created_at, read_at=n.read_at)
