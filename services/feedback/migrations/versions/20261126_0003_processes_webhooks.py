"""budget and vision processes, their decision log, notifications and webhooks

processes (phases, linked events and prompts, areas); the decision per theme or area and its log; notifications to
the managers who contributed; webhook subscribers, queued deliveries and every attempt.

Revision ID: 0003_processes
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_processes"
down_revision = "0002"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def _s(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "processes",
        _s("id", 200), _s("title", 300), _s("kind", 20), _s("owner_id", 200), sa.Column("description", sa.Text),
        _s("series", 100, True), sa.Column("year", sa.Integer), sa.Column("phases", sa.JSON, nullable=False),
        sa.Column("event_ids", sa.JSON, nullable=False), sa.Column("prompt_ids", sa.JSON, nullable=False),
        sa.Column("areas", sa.JSON, nullable=False), sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_processes"))
    op.create_index("ix_processes_series", "processes", ["series", "year"])
    op.create_table(
        "process_decisions",
        _s("process_id", 200), _s("subject_id", 200), _s("subject_kind", 10), _s("title", 300),
        _s("owner_id", 200, True), _s("status", 30), sa.Column("response", sa.Text),
        sa.Column("updated_at", TIME, nullable=False), _s("updated_by", 200),
        sa.PrimaryKeyConstraint("process_id", "subject_id", name="pk_process_decisions"))
    op.create_table(
        "process_decision_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True), _s("process_id", 200),
        _s("subject_id", 200), _s("title", 300), _s("status_from", 30), _s("status_to", 30),
        _s("owner_id", 200, True), sa.Column("response", sa.Text), _s("changed_by", 200),
        sa.Column("changed_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_process_decision_log"))
    op.create_index("ix_process_decision_log_process", "process_decision_log", ["process_id", "id"])
    op.create_table(
        "notifications",
        _s("id", 36), _s("person_id", 200), _s("process_id", 200), _s("subject_id", 200), _s("title", 300),
        _s("status", 30), sa.Column("message", sa.Text, nullable=False), sa.Column("created_at", TIME, nullable=False),
        sa.Column("read_at", TIME), sa.PrimaryKeyConstraint("id", name="pk_notifications"))
    op.create_index("ix_notifications_person", "notifications", ["person_id", "created_at"])
    op.create_table(
        "webhook_subscriptions",
        _s("id", 36), _s("url", 2000), _s("secret", 200), sa.Column("event_types", sa.JSON, nullable=False),
        _s("process_id", 200, True), _s("description", 300, True), sa.Column("active", sa.Boolean, nullable=False),
        _s("created_by", 200), sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_subscriptions"))
    op.create_table(
        "webhook_deliveries",
        _s("id", 36), _s("subscription_id", 36), _s("event_id", 64), _s("event_type", 200),
        sa.Column("body", sa.JSON, nullable=False), _s("status", 20), sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("replays", sa.Integer, nullable=False), sa.Column("next_attempt_at", TIME, nullable=False),
        sa.Column("last_status_code", sa.Integer), sa.Column("last_error", sa.Text),
        sa.Column("created_at", TIME, nullable=False), sa.Column("delivered_at", TIME),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.ForeignKeyConstraint(["subscription_id"], ["webhook_subscriptions.id"], ondelete="CASCADE",
                                name="fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
        sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_subscription_id"))
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True), _s("delivery_id", 36),
        sa.Column("attempted_at", TIME, nullable=False), sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.Text), sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("replay", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_attempts"),
        sa.ForeignKeyConstraint(["delivery_id"], ["webhook_deliveries.id"], ondelete="CASCADE",
                                name="fk_webhook_attempts_delivery_id_webhook_deliveries"))
    op.create_index("ix_webhook_attempts_delivery_id", "webhook_attempts", ["delivery_id"])


def downgrade() -> None:
    for table in ("webhook_attempts", "webhook_deliveries", "webhook_subscriptions", "notifications",
                  "process_decision_log", "process_decisions", "processes"):
        op.drop_table(table)
