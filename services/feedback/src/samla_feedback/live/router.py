"""HTTP API for live results, the big-screen board and its long-poll change feed (which the gateway turns into
Server-Sent Events)."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from samla_common.auth import CurrentPerson
from samla_common.deps import SessionDep
from samla_common.errors import NotFound
from samla_feedback.anonymity import policy
from samla_feedback.api import EventId, ObjectId, PersonOrService, problems
from samla_feedback.live import changes, results
from samla_feedback.live.schemas import RESULTS_EXAMPLE, BoardOut, BoardPrompt, ChangeOut, ChangesOut
from samla_feedback.prompts import router as prompt_api
from samla_feedback.prompts import service as prompts
from samla_feedback.questions import router as question_api
from samla_feedback.questions import service as questions
from samla_feedback.texts import PUBLIC_RECORD_NOTICE

router = APIRouter(tags=["live"])
BATCH = 500


@router.get("/prompts/{prompt_id}/results", response_model=dict[str, Any],
            responses={**problems(404), 200: {"description": "The k-protected results",
                                              "content": {"application/json": {"example": RESULTS_EXAMPLE}}}},
            summary="A prompt's results with the anonymity rules applied (groups below k and differencing "
                    "suppressed; breakdowns after the prompt closes). Any signed-in person.")
def get_results(prompt_id: ObjectId, session: SessionDep, _: CurrentPerson) -> dict[str, Any]:
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    if prompt.status == "draft":
        raise NotFound(f"No results for prompt {prompt_id!r} yet.")
    return results.compute(session=session, prompt=prompt, k=policy.get(session=session, event_id=prompt.event_id).k)


@router.get("/events/{event_id}/board", response_model=BoardOut, responses=problems(),
            summary="The big-screen board: open and closed dialogue prompts with k-protected results, and the "
                    "question wall, plus the cursor to follow changes from. Any signed-in person.")
def get_board(event_id: EventId, request: Request, session: SessionDep, principal: PersonOrService,
              questions_limit: Annotated[int, Query(ge=0, le=200)] = 30) -> BoardOut:
    cursor = changes.head(session=session, event_id=event_id)  # read first: later changes reach the feed
    k = policy.get(session=session, event_id=event_id).k
    max_text = request.app.state.settings.max_text_length
    shown = prompts.list_for_event(session=session, event_id=event_id, statuses=("open", "closed"),
                                   section="dialogue")
    wall = questions.wall(session=session, event_id=event_id, limit=questions_limit) if questions_limit else []
    mine = questions.votes_by(session=session, voter_id=principal.sub, question_ids=[q.id for q in wall])
    return BoardOut(
        event_id=event_id, cursor=cursor, k=k, notice=PUBLIC_RECORD_NOTICE,
        prompts=[BoardPrompt(prompt=prompt_api.to_out(p, k=k, max_text_length=max_text),
                             results=results.compute(session=session, prompt=p, k=k)) for p in shown],
        questions=[question_api.to_out(session, q, principal, q.id in mine) for q in wall])


@router.get("/events/{event_id}/board/changes", response_model=ChangesOut, responses=problems(422),
            summary="What changed on the board since a cursor; with `wait`, holds the request until something "
                    "changes (long poll). Carries ids only, never who changed anything. Any signed-in person.")
def get_changes(event_id: EventId, request: Request, _: PersonOrService,
                since: Annotated[int, Query(ge=0)] = 0,
                wait: Annotated[float, Query(ge=0, le=60, description="Seconds to wait for a change")] = 0
                ) -> ChangesOut:
    settings = request.app.state.settings
    deadline = time.monotonic() + min(wait, settings.long_poll_max_seconds)
    # A short session per look: a transaction held open while waiting would pin the database (SQLite's writer lock).
    while True:
        with request.app.state.read_session_factory() as session:
            head = changes.head(session=session, event_id=event_id)
            rows = changes.since(session=session, event_id=event_id, cursor=since, limit=BATCH) \
                if since <= head else []
        if rows or since > head or time.monotonic() >= deadline:
            break
        time.sleep(settings.long_poll_interval_seconds)
    if since > head:
        return ChangesOut(event_id=event_id, cursor=head, reset=True, more=False, changes=[])
    return ChangesOut(event_id=event_id, cursor=rows[-1].seq if rows else since, reset=False,
                      more=bool(rows) and rows[-1].seq < head,
                      changes=[ChangeOut(seq=r.seq, kind=r.kind, id=r.subject_id, at=r.at) for r in rows])
