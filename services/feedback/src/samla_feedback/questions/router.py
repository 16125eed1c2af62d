"""HTTP API for questions to leadership, votes, moderation and follow-up."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from samla_common.auth import ADMIN, FACILITATOR, CurrentPerson, Principal
from samla_common.deps import SessionDep, in_own_transaction
from samla_common.errors import Forbidden
from samla_feedback.api import EventId, Facilitator, FollowUpOwner, Leader, ObjectId, problems
from samla_feedback.participants.directory import person_name
from samla_feedback.questions import moderation
from samla_feedback.questions import service as questions
from samla_feedback.questions.models import Question
from samla_feedback.questions.schemas import (
    AnswerIn,
    AssignIn,
    FollowUpIn,
    HideIn,
    MergeIn,
    ModerationEntryOut,
    QuestionIn,
    QuestionOut,
    VoteOut,
    WallOut,
)
from samla_feedback.texts import PUBLIC_RECORD_NOTICE

router = APIRouter(tags=["questions"])
MODERATORS = (FACILITATOR, ADMIN)


def to_out(session: Session, question: Question, viewer: Principal, voted: bool = False) -> QuestionOut:
    moderator = viewer.has_any(MODERATORS)
    show_text = question.status != "hidden" or moderator
    return QuestionOut(
        id=question.id, event_id=question.event_id, text=question.text if show_text else None,
        anonymous=question.anonymous,
        author_name=person_name(session=session, person_id=question.author_id) if question.author_id else None,
        status=question.status, votes=question.votes, voted_by_me=voted, answer_mode=question.answer_mode,
        answer_text=question.answer_text, answered_at=question.answered_at, assignee_id=question.assignee_id,
        assignee_name=person_name(session=session, person_id=question.assignee_id) if question.assignee_id else None,
        follow_up=question.follow_up, follow_up_note=question.follow_up_note, merged_into_id=question.merged_into_id,
        reason_code=question.reason_code, reason=question.reason, asked_at=question.created_at)


@router.post("/events/{event_id}/questions", response_model=QuestionOut, status_code=201, responses=problems(422),
             summary="Ask leadership a question, named or anonymously. Any signed-in person.")
async def ask(event_id: EventId, body: QuestionIn, request: Request, principal: CurrentPerson) -> QuestionOut:
    def ask_in(session: Session) -> QuestionOut:
        question = questions.ask(session=session, event_id=event_id, person_id=principal.sub, text=body.text,
                                 anonymous=body.anonymous)
        return to_out(session, question, principal)

    return await in_own_transaction(request, ask_in)  # many ask at once when the floor opens


@router.get("/events/{event_id}/questions", response_model=WallOut, responses=problems(422),
            summary="The question wall: approved questions by votes or newest, with answers and follow-up "
                    "(also after the day). Any signed-in person.")
def get_wall(event_id: EventId, session: SessionDep, principal: CurrentPerson,
             sort: Literal["votes", "newest"] = "votes",
             assignee: Annotated[str | None, Query(max_length=200, description="A person id, or 'me'")] = None,
             limit: Annotated[int, Query(ge=1, le=500)] = 200) -> WallOut:
    assignee_id = principal.sub if assignee == "me" else assignee
    rows = questions.wall(session=session, event_id=event_id, sort=sort, assignee_id=assignee_id, limit=limit)
    mine = questions.votes_by(session=session, voter_id=principal.sub, question_ids=[q.id for q in rows])
    return WallOut(event_id=event_id, sort=sort, notice=PUBLIC_RECORD_NOTICE,
                   questions=[to_out(session, q, principal, q.id in mine) for q in rows])


@router.get("/events/{event_id}/questions/queue", response_model=list[QuestionOut], responses=problems(),
            summary="The moderation queue: questions waiting for approval. Roles: samla-facilitator, samla-admin.")
def get_queue(event_id: EventId, session: SessionDep, principal: Facilitator) -> list[QuestionOut]:
    return [to_out(session, q, principal) for q in moderation.queue(session=session, event_id=event_id)]


@router.get("/events/{event_id}/moderation-log", response_model=list[ModerationEntryOut], responses=problems(),
            summary="The public moderation log: what was approved, hidden or merged, and why; never who asked. "
                    "Any signed-in person.")
def get_moderation_log(event_id: EventId, session: SessionDep, _: CurrentPerson) -> list[ModerationEntryOut]:
    return [ModerationEntryOut.model_validate(e) for e in moderation.log(session=session, event_id=event_id)]


@router.get("/questions/{question_id}", response_model=QuestionOut, responses=problems(404),
            summary="One question (a hidden question's text only for moderators). Any signed-in person.")
def get_question(question_id: ObjectId, session: SessionDep, principal: CurrentPerson) -> QuestionOut:
    question = questions.get(session=session, question_id=question_id)
    voted = bool(questions.votes_by(session=session, voter_id=principal.sub, question_ids=[question.id]))
    return to_out(session, question, principal, voted)


@router.post("/questions/{question_id}/votes", response_model=VoteOut, status_code=201, responses={
    **problems(404, 409), 200: {"description": "Already counted: a repeated vote changes nothing"}},
    summary="Vote for a question; idempotent, a retried vote counts once. Any signed-in person.")
async def post_vote(question_id: ObjectId, request: Request, principal: CurrentPerson,
                    response: Response) -> VoteOut:
    # A popular question gets hundreds of votes within seconds: one transaction on one thread (in_own_transaction).
    def vote(session: Session) -> VoteOut:
        question, counted = questions.vote(session=session, question_id=question_id, voter_id=principal.sub)
        return VoteOut(question_id=question.id, counted=counted, votes=question.votes)

    out = await in_own_transaction(request, vote)
    response.status_code = 201 if out.counted else 200
    return out


@router.delete("/questions/{question_id}/votes", response_model=VoteOut, responses=problems(404),
               summary="Take back one's vote. Any signed-in person.")
def delete_vote(question_id: ObjectId, session: SessionDep, principal: CurrentPerson) -> VoteOut:
    question = questions.unvote(session=session, question_id=question_id, voter_id=principal.sub)
    return VoteOut(question_id=question.id, counted=False, votes=question.votes)


@router.post("/questions/{question_id}/approve", response_model=QuestionOut, responses=problems(404, 409),
             summary="Put a question on the wall. Roles: samla-facilitator, samla-admin.")
def approve(question_id: ObjectId, session: SessionDep, principal: Facilitator) -> QuestionOut:
    return to_out(session, moderation.approve(session=session, question_id=question_id), principal)


@router.post("/questions/{question_id}/hide", response_model=QuestionOut, responses=problems(404, 409, 422),
             summary="Hide a question with a reason (logged publicly). Roles: samla-facilitator, samla-admin.")
def hide(question_id: ObjectId, body: HideIn, session: SessionDep, principal: Facilitator) -> QuestionOut:
    question = moderation.hide(session=session, question_id=question_id, reason_code=body.reason_code,
                               reason=body.reason)
    return to_out(session, question, principal)


@router.post("/questions/{question_id}/merge", response_model=QuestionOut, responses=problems(404, 409, 422),
             summary="Merge a duplicate into another question; votes move over, each voter counted once. "
                     "Returns the question merged into. Roles: samla-facilitator, samla-admin.")
def merge(question_id: ObjectId, body: MergeIn, session: SessionDep, principal: Facilitator) -> QuestionOut:
    return to_out(session, moderation.merge(session=session, question_id=question_id, into_id=body.into_id),
                  principal)


@router.post("/questions/{question_id}/answer", response_model=QuestionOut, responses=problems(404, 409, 422),
             summary="Mark a question answered on stage, or answer it in writing. "
                     "Roles: samla-leadership, samla-facilitator, samla-admin.")
def answer(question_id: ObjectId, body: AnswerIn, session: SessionDep, principal: Leader) -> QuestionOut:
    question = questions.answer(session=session, question_id=question_id, mode=body.mode, text=body.text)
    return to_out(session, question, principal)


@router.put("/questions/{question_id}/assignee", response_model=QuestionOut, responses=problems(404, 422),
            summary="Give a question to a leader to follow up (a leader may take it themselves). "
                    "Roles: samla-facilitator, samla-admin; samla-leadership for themselves.")
def assign(question_id: ObjectId, body: AssignIn, session: SessionDep, principal: Leader) -> QuestionOut:
    if not principal.has_any(MODERATORS) and body.person_id != principal.sub:
        raise Forbidden("A leader can take a question themselves; facilitators assign it to others.")
    return to_out(session, questions.assign(session=session, question_id=question_id, assignee_id=body.person_id),
                  principal)


@router.put("/questions/{question_id}/follow-up", response_model=QuestionOut, responses=problems(404, 409, 422),
            summary="Move the follow-up forward: received, answered, decided, done. "
                    "Roles: samla-leadership, samla-admin.")
def put_follow_up(question_id: ObjectId, body: FollowUpIn, session: SessionDep,
                  principal: FollowUpOwner) -> QuestionOut:
    question = questions.follow_up(session=session, question_id=question_id, status=body.status, note=body.note)
    return to_out(session, question, principal)
