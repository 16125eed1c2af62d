"""Webhook subscribers and their deliveries: queued in the transaction of the change they report, sent later by
the background sender (`webhooks.sender`), never on the request path."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from samla_common.errors import NotFound
from samla_feedback.events import iso
from samla_feedback.webhooks.models import Attempt, Delivery, Subscription

SOURCE = "/samla/feedback"
_listeners: list[Any] = []  # running senders to wake after a commit that queued deliveries


def add_listener(wake: Any) -> None:
    _listeners.append(wake)


def remove_listener(wake: Any) -> None:
    if wake in _listeners:
        _listeners.remove(wake)


def subscribe(*, session: Session, url: str, secret: str, event_types: list[str], process_id: str | None,
              description: str | None, created_by: str) -> Subscription:
    """Registers a receiver."""
    sub = Subscription(id=str(uuid.uuid4()), url=url, secret=secret, event_types=sorted(set(event_types)),
                       process_id=process_id, description=description, active=True, created_by=created_by,
                       created_at=datetime.now(UTC))
    session.add(sub)
    session.flush()
    return sub


def get(*, session: Session, subscription_id: str) -> Subscription:
    """Gets one subscription by id."""
    sub = session.get(Subscription, subscription_id)
    if sub is None:
        raise NotFound(f"No webhook with id {subscription_id!r}.")
    return sub


def list_all(*, session: Session) -> list[Subscription]:
    return list(session.scalars(select(Subscription).order_by(Subscription.created_at, Subscription.id)))


def remove(*, session: Session, subscription_id: str) -> None:
    """Deletes a subscriber with its queued deliveries and their log."""
    session.delete(get(session=session, subscription_id=subscription_id))
    session.flush()


def enqueue(session: Session, *, event_type: str, data: dict[str, Any], process_id: str | None,
            event_id: str | None = None) -> int:
    """Queues one delivery per matching active subscriber in `session`'s transaction; returns how many."""
    subs = session.scalars(select(Subscription).where(
        Subscription.active.is_(True),
        or_(Subscription.process_id.is_(None), Subscription.process_id == process_id)))
    now = datetime.now(UTC)
    event_id = event_id or str(uuid.uuid4())
    body = {"id": event_id, "type": event_type, "source": SOURCE, "subject": process_id, "time": iso(now),
            "data": data}
    queued = 0
    for sub in subs:
        if sub.event_types and event_type not in sub.event_types:
            continue
        session.add(Delivery(id=str(uuid.uuid4()), subscription_id=sub.id, event_id=event_id,
                             event_type=event_type, body=body, status="pending", attempts=0, replays=0,
                             next_attempt_at=now, created_at=now))
        queued += 1
    if queued:
        session.flush()
        event.listen(session, "after_commit", _wake_senders, once=True)
    return queued


def deliveries(*, session: Session, subscription_id: str, status: str | None = None,
               limit: int = 100) -> list[Delivery]:
    """The delivery log of one subscriber, newest first."""
    get(session=session, subscription_id=subscription_id)
    stmt = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if status is not None:
        stmt = stmt.where(Delivery.status == status)
    return list(session.scalars(stmt.order_by(Delivery.created_at.desc(), Delivery.id).limit(limit)))


def attempts_of(*, session: Session, delivery_ids: list[str]) -> dict[str, list[Attempt]]:
    out: dict[str, list[Attempt]] = {d: [] for d in delivery_ids}
    if delivery_ids:
        for a in session.scalars(select(Attempt).where(Attempt.delivery_id.in_(delivery_ids)).order_by(Attempt.id)):
            out[a.delivery_id].append(a)
    return out


def replay(*, session: Session, subscription_id: str, delivery_id: str) -> Delivery:
    """Sends a delivery again with the same id and body (receivers that saw it already ignore it)."""
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.subscription_id != subscription_id:
        raise NotFound(f"No delivery {delivery_id!r} for webhook {subscription_id!r}.")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, datetime.now(UTC)
    delivery.replays += 1
    session.flush()
    event.listen(session, "after_commit", _wake_senders, once=True)
    return delivery


def _wake_senders(_: Session) -> None:
    for wake in list(_listeners):
        wake()
