"""HTTP API of network pulses: admins start and close them and read k-protected results; members find theirs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from samla_common.deps import SessionDep
from samla_network.access import Admin, Person
from samla_network.problems import problems
from samla_network.pulses import service, views
from samla_network.pulses.client import FeedbackClient
from samla_network.pulses.schemas import PERIOD, MyPulseOut, PulseIn, PulseOut

router = APIRouter(tags=["network pulses"])
PulseId = Annotated[str, Path(min_length=1, max_length=36, examples=["7d1e2c4a-5b6f-4a3e-9c8d-1f2e3a4b5c6d"])]


async def get_feedback(request: Request) -> FeedbackClient:
    client: FeedbackClient = request.app.state.feedback
    return client


FeedbackDep = Annotated[FeedbackClient, Depends(get_feedback)]


@router.post("/pulses", response_model=PulseOut, status_code=201, responses=problems(404, 409, 422, 503),
             summary="Start a pulse: the cohort's active networks are asked (anonymously, in feedback) whether they "
                     "met and how valuable the network is. Roles: samla-admin.")
def start_pulse(body: PulseIn, session: SessionDep, admin: Admin, feedback: FeedbackDep) -> PulseOut:
    pulse = service.start(session=session, data=body, by=admin.sub, feedback=feedback)
    return views.pulse_out(session=session, pulse=pulse)


@router.get("/pulses", response_model=list[PulseOut], responses=problems(422),
            summary="Pulses, newest first (without results). Roles: samla-admin.")
def list_pulses(session: SessionDep, _: Admin, run_id: Annotated[str | None, Query(max_length=36)] = None,
                period: Annotated[str | None, Query(pattern=PERIOD)] = None) -> list[PulseOut]:
    return [views.pulse_out(session=session, pulse=p)
            for p in service.listing(session=session, run_id=run_id, period=period)]


@router.get("/pulses/{pulse_id}", response_model=PulseOut, responses=problems(404, 503),
            summary="A pulse with its k-protected results: live totals while open, per network once closed. "
                    "Roles: samla-admin.")
def get_pulse(pulse_id: PulseId, session: SessionDep, _: Admin, feedback: FeedbackDep) -> PulseOut:
    pulse = service.get(session=session, pulse_id=pulse_id)
    return views.pulse_out(session=session, pulse=pulse, results=service.results(pulse=pulse, feedback=feedback))


@router.post("/pulses/{pulse_id}/close", response_model=PulseOut, responses=problems(404, 503),
             summary="Close a pulse: no more answers; its final k-protected results are kept for the health view. "
                     "Roles: samla-admin.")
def close_pulse(pulse_id: PulseId, session: SessionDep, _: Admin, feedback: FeedbackDep) -> PulseOut:
    pulse = service.close(session=session, pulse_id=pulse_id, feedback=feedback)
    return views.pulse_out(session=session, pulse=pulse, results=pulse.results)


@router.get("/me/pulses", response_model=list[MyPulseOut], responses=problems(),
            summary="Open pulses about my networks, with the feedback prompts to answer. Any signed-in person.")
def my_pulses(session: SessionDep, person: Person) -> list[Any]:
    return [MyPulseOut(pulse_id=p.id, period=p.period, group_id=g.id, group_name=g.name,
                       feedback_event_id=p.feedback_event_id, questions=views.questions_out(p))
            for p, g in service.mine(session=session, person_id=person.sub)]
