"""HTTP API for answering prompts and reading free text."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from samla_common.auth import CurrentPerson
from samla_common.deps import SessionDep, in_own_transaction
from samla_feedback.anonymity import policy
from samla_feedback.api import ObjectId, Staff, problems
from samla_feedback.prompts import service as prompts
from samla_feedback.responses import service, tallies
from samla_feedback.responses.schemas import AnswerIn, ReceiptOut, ResponseOut, TextOut, TextsOut

router = APIRouter(tags=["responses"])


@router.post("/prompts/{prompt_id}/responses", response_model=ReceiptOut, status_code=201,
             responses={**problems(404, 409, 422), 200: {"description": "The caller's earlier answer was replaced"}},
             summary="Answer an open prompt: once per person (editable while open), once per table for table "
                     "prompts, once per eligibility token for anonymous prompts. Any signed-in person.")
async def answer(prompt_id: ObjectId, body: AnswerIn, request: Request, principal: CurrentPerson,
                 response: Response) -> ReceiptOut:
    # The day's hottest write (hundreds of answers within seconds): one transaction on one thread
    # (samla_common.deps.in_own_transaction), so on SQLite the writer turn is held only while the database works.
    max_text_length = request.app.state.settings.max_text_length
    receipt = await in_own_transaction(request, lambda session: service.submit(
        session=session, prompt_id=prompt_id, person_id=principal.sub, answer=body, max_text_length=max_text_length))
    response.status_code = 201 if receipt.outcome == "created" else 200
    return ReceiptOut(prompt_id=receipt.prompt_id, outcome=receipt.outcome, anonymous=receipt.anonymous,
                      respondents=receipt.respondents)


@router.get("/prompts/{prompt_id}/responses/mine", response_model=ResponseOut, responses=problems(404),
            summary="The caller's own (or their table's) answer, to edit it. Anonymous answers cannot be found "
                    "again. Any signed-in person.")
def get_mine(prompt_id: ObjectId, session: SessionDep, principal: CurrentPerson) -> ResponseOut:
    row = service.mine(session=session, prompt_id=prompt_id, person_id=principal.sub)
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    return ResponseOut(prompt_id=prompt_id, anonymous=False, table_id=row.table_id if prompt.audience == "table"
                       else None, value=row.value, text=row.text, editable=prompt.status == "open",
                       updated_at=row.updated_at)


@router.get("/prompts/{prompt_id}/texts", response_model=TextsOut, responses=problems(404),
            summary="Free-text answers for theming, without authors; shown only once k people have answered. "
                    "Roles: samla-facilitator, samla-admin, samla-leadership.")
def get_texts(prompt_id: ObjectId, session: SessionDep, _: Staff,
              limit: Annotated[int, Query(ge=1, le=1000)] = 500,
              offset: Annotated[int, Query(ge=0)] = 0) -> TextsOut:
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    k = policy.get(session=session, event_id=prompt.event_id).k
    suppressed, rows = service.texts(session=session, prompt=prompt, k=k, limit=limit, offset=offset)
    return TextsOut(prompt_id=prompt_id, suppressed=suppressed,
                    respondents=tallies.respondents(session, prompt_id=prompt_id),
                    texts=[TextOut(response_id=r.id, text=r.text or "",
                                   table_id=r.table_id if prompt.audience == "table" else None) for r in rows])
