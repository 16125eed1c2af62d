"""Every dialogue page in one router for `main`: the participant's Dialog and questions, the facilitator's control
page and the big screen."""

from __future__ import annotations

from fastapi import APIRouter

from samla_gateway.web import dialogue_control, dialogue_pages, dialogue_presenter, dialogue_questions

router = APIRouter()
for part in (dialogue_pages.router, dialogue_questions.router, dialogue_control.router, dialogue_presenter.router):
    router.include_router(part)
