"""HTTP API of pulses, for the network service (its service token) and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from samla_common.deps import SessionDep
from samla_feedback.anonymity import policy
from samla_feedback.api import AdminOrService, problems
from samla_feedback.prompts.models import Prompt
from samla_feedback.prompts.router import to_out
from samla_feedback.pulses import service
from samla_feedback.pulses.schemas import PulseIn, PulseOut, PulseResultsOut

router = APIRouter(prefix="/pulses", tags=["pulses"])
PulseId = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_\-]+$",
                              examples=["0b6c3f9e-2a41-4c55-9d1e-7f3a2b8c4d10"])]


def _out(request: Request, session: SessionDep, pulse_id: str, found: list[Prompt]) -> PulseOut:
    k = policy.get(session=session, event_id=service.event_id_of(pulse_id)).k
    max_text = request.app.state.settings.max_text_length
    status = "closed" if all(p.status == "closed" for p in found) else "open"
    return PulseOut(pulse_id=pulse_id, event_id=service.event_id_of(pulse_id), status=status,
                    people=service.people(session=session, pulse_id=pulse_id),
                    prompts=[to_out(p, k=k, max_text_length=max_text) for p in found])


@router.put("/{pulse_id}", response_model=PulseOut, responses=problems(),
            summary="Open a pulse: anonymous prompts for named groups (rosters), answered with eligibility tokens. "
                    "Repeating the call returns the pulse as it is. Roles: samla-admin, or a service.")
def put_pulse(pulse_id: PulseId, body: PulseIn, request: Request, session: SessionDep,
              _: AdminOrService) -> PulseOut:
    return _out(request, session, pulse_id, service.open_pulse(session=session, pulse_id=pulse_id, data=body))


@router.post("/{pulse_id}/close", response_model=PulseOut, responses=problems(404),
             summary="Close a pulse's prompts; group breakdowns appear in the results. "
                     "Roles: samla-admin, or a service.")
def close_pulse(pulse_id: PulseId, request: Request, session: SessionDep, _: AdminOrService) -> PulseOut:
    return _out(request, session, pulse_id, service.close_pulse(session=session, pulse_id=pulse_id))


@router.get("/{pulse_id}/results", response_model=PulseResultsOut, responses=problems(404),
            summary="A pulse's k-protected results per prompt (groups below k and differencing suppressed). "
                    "Roles: samla-admin, or a service.")
def get_pulse_results(pulse_id: PulseId, session: SessionDep, _: AdminOrService) -> PulseResultsOut:
    k, found = service.pulse_results(session=session, pulse_id=pulse_id)
    return PulseResultsOut(pulse_id=pulse_id, event_id=service.event_id_of(pulse_id), k=k, results=found)
