"""the chefsdag: events, agenda, invitations, registrations and waiting list, check-in journal, mail queue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "caught_mail",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("caught_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_caught_mail")
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("table_count", sa.Integer(), nullable=False),
        sa.Column("seats_per_table", sa.Integer(), nullable=False),
        sa.Column("accessible_tables", sa.Integer(), nullable=False),
        sa.Column("facilitator_ids", sa.JSON(), nullable=False),
        sa.Column("process_id", sa.String(length=200), nullable=True),
        sa.Column("process_name", sa.String(length=300), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("accessible_tables <= table_count", name="ck_events_accessible_within_tables"),
        sa.CheckConstraint("capacity > 0", name="ck_events_capacity_positive"),
        sa.CheckConstraint("starts_at < ends_at", name="ck_events_starts_before_it_ends"),
        sa.PrimaryKeyConstraint("id", name="pk_events")
    )
    op.create_index("ix_events_state", "events", ["state"], unique=False)
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dedup_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("person_id", sa.String(length=200), nullable=True),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("to_name", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_queue"),
        sa.UniqueConstraint("dedup_key", name="uq_mail_queue_dedup_key")
    )
    op.create_index("ix_mail_queue_due", "mail_queue", ["status", "next_attempt_at"], unique=False)
    op.create_index("ix_mail_queue_event_id", "mail_queue", ["event_id"], unique=False)
    op.create_table(
        "agenda_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=200), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_agenda_sessions_event_id_events", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_agenda_sessions")
    )
    op.create_index("ix_agenda_sessions_event_id", "agenda_sessions", ["event_id"], unique=False)
    op.create_table(
        "check_in_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=True),
        sa.Column("person_id", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("entrance", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_check_in_log_event_id_events", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_check_in_log"),
        sa.UniqueConstraint("event_id", "client_id", name="uq_check_in_log_event_client")
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("level", sa.String(length=60), nullable=True),
        sa.Column("org_unit_id", sa.String(length=200), nullable=True),
        sa.Column("org_unit_name", sa.String(length=300), nullable=True),
        sa.Column("search_key", sa.String(length=700), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("deputy_for", sa.String(length=200), nullable=True),
        sa.Column("invited_by", sa.String(length=200), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_invitations_event_id_events", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("event_id", "person_id", name="uq_invitations_event_person")
    )
    op.create_index("ix_invitations_person_id", "invitations", ["person_id"], unique=False)
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("waitlist_position", sa.Integer(), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offers_made", sa.Integer(), nullable=False),
        sa.Column("deputy_for", sa.String(length=200), nullable=True),
        sa.Column("deputy_id", sa.String(length=200), nullable=True),
        sa.Column("walk_in", sa.Boolean(), nullable=False),
        sa.Column("dietary", sa.JSON(), nullable=False),
        sa.Column("dietary_other", sa.String(length=500), nullable=True),
        sa.Column("dietary_name_to_caterer", sa.Boolean(), nullable=False),
        sa.Column("accessibility", sa.String(length=500), nullable=True),
        sa.Column("needs_accessible_seat", sa.Boolean(), nullable=False),
        sa.Column("consent_listed", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_entrance", sa.String(length=100), nullable=True),
        sa.Column("checked_in_by", sa.String(length=200), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name="fk_registrations_event_id_events", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_registrations"),
        sa.UniqueConstraint("event_id", "number", name="uq_registrations_event_number"),
        sa.UniqueConstraint("event_id", "person_id", name="uq_registrations_event_person")
    )
    op.create_index("ix_registrations_person_id", "registrations", ["person_id"], unique=False)


def downgrade() -> None:
    for table in ("registrations", "invitations", "check_in_log", "agenda_sessions", "mail_queue", "events",
                  "caught_mail"):
        op.drop_table(table)
