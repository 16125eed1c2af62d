"""HTTP API for webhook subscribers (samla-admin): register, list, remove, the delivery log and replay."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from samla_common.deps import SessionDep
from samla_feedback.api import Admin, ObjectId, problems
from samla_feedback.webhooks import service
from samla_feedback.webhooks.models import Delivery, Subscription
from samla_feedback.webhooks.schemas import AttemptOut, DeliveryOut, SubscriptionIn, SubscriptionOut

router = APIRouter(tags=["webhooks"])


def _sub_out(sub: Subscription) -> SubscriptionOut:
    return SubscriptionOut(id=sub.id, url=sub.url, event_types=sub.event_types, process_id=sub.process_id,
                           description=sub.description, active=sub.active, created_at=sub.created_at)


def _deliveries_out(session: Session, rows: list[Delivery]) -> list[DeliveryOut]:
    log = service.attempts_of(session=session, delivery_ids=[d.id for d in rows])
    return [DeliveryOut(id=d.id, event_id=d.event_id, event_type=d.event_type, status=d.status, attempts=d.attempts,
                        replays=d.replays, next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
                        last_status_code=d.last_status_code, last_error=d.last_error, created_at=d.created_at,
                        delivered_at=d.delivered_at, body=d.body,
                        log=[AttemptOut(attempted_at=a.attempted_at, status_code=a.status_code, error=a.error,
                                        duration_ms=a.duration_ms, replay=a.replay) for a in log[d.id]])
            for d in rows]


@router.post("/webhooks", response_model=SubscriptionOut, status_code=201, responses=problems(),
             summary="Register a receiver: deliveries are POSTed signed (Samla-Signature: t=<ts>,v1=<HMAC-SHA256 "
                     "of '<ts>.<body>'>), with Samla-Delivery-Id to deduplicate by. Roles: samla-admin.")
def create_webhook(body: SubscriptionIn, session: SessionDep, principal: Admin) -> SubscriptionOut:
    sub = service.subscribe(session=session, url=str(body.url), secret=body.secret, event_types=body.event_types,
                            process_id=body.process_id, description=body.description, created_by=principal.sub)
    return _sub_out(sub)


@router.get("/webhooks", response_model=list[SubscriptionOut], responses=problems(),
            summary="Every registered receiver (secrets are never shown). Roles: samla-admin.")
def list_webhooks(session: SessionDep, _: Admin) -> list[SubscriptionOut]:
    return [_sub_out(s) for s in service.list_all(session=session)]


@router.delete("/webhooks/{webhook_id}", status_code=204, responses=problems(404),
               summary="Remove a receiver with its queued deliveries and log. Roles: samla-admin.")
def delete_webhook(webhook_id: ObjectId, session: SessionDep, _: Admin) -> Response:
    service.remove(session=session, subscription_id=webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryOut], responses=problems(404),
            summary="The delivery log of one receiver, newest first, with every attempt. Roles: samla-admin.")
def list_deliveries(webhook_id: ObjectId, session: SessionDep, _: Admin,
                    status: Annotated[Literal["pending", "sending", "delivered", "failed"] | None, Query()] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[DeliveryOut]:
    rows = service.deliveries(session=session, subscription_id=webhook_id, status=status, limit=limit)
    return _deliveries_out(session, rows)


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/replay", response_model=DeliveryOut,
             status_code=202, responses=problems(404),
             summary="Send a delivery again with the same Samla-Delivery-Id and body. Roles: samla-admin.")
def replay_delivery(webhook_id: ObjectId, delivery_id: ObjectId, session: SessionDep, _: Admin) -> DeliveryOut:
    delivery = service.replay(session=session, subscription_id=webhook_id, delivery_id=delivery_id)
    return _deliveries_out(session, [delivery])[0]
