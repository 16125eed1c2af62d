"""What feedback publishes (topics and CloudEvents types, see contracts/events/topics.yaml)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from opentelemetry import context as otel_context
from sqlalchemy.orm import Session

from samla_common.messaging.outbox import EventWriter

RESPONSE_TOPIC = "feedback.response.v1"
QUESTION_TOPIC = "feedback.question.v1"
INSIGHT_TOPIC = "feedback.insight.v1"
ORGUNIT_TOPIC = "identity.orgunit.v1"
PROMPT_CHANGED = "se.samla.feedback.prompt.changed.v1"
RESPONSE_RECORDED = "se.samla.feedback.response.recorded.v1"
QUESTION_CHANGED = "se.samla.feedback.question.changed.v1"
INSIGHT_PUBLISHED = "se.samla.feedback.insight.published.v1"

writer = EventWriter(source="/samla/feedback")


def publish(session: Session, *, topic: str, type: str, key: str, data: dict[str, Any], anonymous: bool) -> str:
    """Adds an event to the outbox of `session`'s transaction.

    An event about an anonymous answer or question is written outside the request's trace: its traceparent would
    let a consumer join it to the request, and through the gateway's traces to the person who sent it.
    """
    if not anonymous:
        return writer.add(session, topic=topic, type=type, key=key, data=data)
    token = otel_context.attach(otel_context.Context())
    try:
        return writer.add(session, topic=topic, type=type, key=key, data=data)
    finally:
        otel_context.detach(token)


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
