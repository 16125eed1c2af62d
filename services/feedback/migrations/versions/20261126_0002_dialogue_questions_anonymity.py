"""live dialogue, questions to leadership, evaluations and the anonymity machinery

prompts and answers with their tallies; table seats; the org-unit read model; questions, votes and the public
moderation log; themes; eligibility tokens (no timestamps on purpose); event policies and gallring runs; the
board's change feed.

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

TIME = sa.DateTime(timezone=True)


def _id(name: str = "id", length: int = 36) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False)


def upgrade() -> None:
    op.create_table(
        "directory_org_units",
        _id(length=200), sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False), sa.Column("parent_id", sa.String(200)),
        sa.Column("source_seq", sa.Integer, nullable=False), sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_directory_org_units"))
    op.create_table(
        "table_seats",
        _id("event_id", 200), sa.Column("round_no", sa.Integer, nullable=False), _id("person_id", 200),
        sa.Column("table_id", sa.String(100), nullable=False), sa.Column("scribe", sa.Boolean, nullable=False),
        sa.Column("source", sa.String(20), nullable=False), sa.Column("source_seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "round_no", "person_id", name="pk_table_seats"))
    op.create_index("ix_table_seats_table", "table_seats", ["event_id", "round_no", "table_id"])

    op.create_table(
        "event_policies",
        _id("event_id", 200), sa.Column("k", sa.Integer, nullable=False), sa.Column("retention_days", sa.Integer),
        sa.Column("premoderate_questions", sa.Boolean, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_event_policies"))
    op.create_table(
        "eligibility_tokens",
        _id("token_hash", 64), _id("event_id", 200),
        sa.PrimaryKeyConstraint("token_hash", name="pk_eligibility_tokens"))
    op.create_index("ix_eligibility_tokens_event_id", "eligibility_tokens", ["event_id"])
    op.create_table(
        "eligibility_issues",
        _id("event_id", 200), _id("person_id", 200),
        sa.PrimaryKeyConstraint("event_id", "person_id", name="pk_eligibility_issues"))
    op.create_table(
        "eligibility_uses",
        _id("prompt_id"), _id("use_hash", 64),
        sa.PrimaryKeyConstraint("prompt_id", "use_hash", name="pk_eligibility_uses"))
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False), _id("event_id", 200),
        sa.Column("run_at", TIME, nullable=False), sa.Column("run_by", sa.String(200), nullable=False),
        sa.Column("cutoff", TIME, nullable=False), sa.Column("prompts", sa.JSON, nullable=False),
        sa.Column("responses_cleared", sa.Integer, nullable=False),
        sa.Column("questions_cleared", sa.Integer, nullable=False), sa.Column("details", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_runs"))
    op.create_index("ix_retention_runs_event_id", "retention_runs", ["event_id"])

    op.create_table(
        "prompts",
        _id(), _id("event_id", 200), sa.Column("section", sa.String(20), nullable=False),
        sa.Column("round_no", sa.Integer), sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False), sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False), sa.Column("title", sa.String(500), nullable=False),
        sa.Column("description", sa.Text), sa.Column("options", sa.JSON, nullable=False),
        sa.Column("scale_min", sa.Integer), sa.Column("scale_max", sa.Integer),
        sa.Column("scale_labels", sa.JSON, nullable=False), sa.Column("max_phrases", sa.Integer),
        sa.Column("points_total", sa.Integer), sa.Column("breakdowns", sa.JSON, nullable=False),
        sa.Column("template", sa.String(60)), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TIME, nullable=False), sa.Column("opened_at", TIME),
        sa.Column("closed_at", TIME), sa.Column("texts_deleted_at", TIME),
        sa.PrimaryKeyConstraint("id", name="pk_prompts"))
    op.create_index("ix_prompts_event", "prompts", ["event_id", "section", "position"])
    op.create_table(
        "responses",
        _id(), _id("prompt_id"), sa.Column("respondent_key", sa.String(220)), sa.Column("person_id", sa.String(200)),
        sa.Column("table_id", sa.String(100), nullable=False),
        sa.Column("administration_id", sa.String(200), nullable=False),
        sa.Column("level", sa.String(60), nullable=False), sa.Column("group_size", sa.Integer, nullable=False),
        sa.Column("value", sa.JSON), sa.Column("text", sa.Text), sa.Column("created_at", TIME),
        sa.Column("updated_at", TIME),
        sa.ForeignKeyConstraint(["prompt_id"], ["prompts.id"], name="fk_responses_prompt_id_prompts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_responses"),
        sa.UniqueConstraint("prompt_id", "respondent_key", name="uq_responses_prompt_respondent"))
    op.create_index("ix_responses_prompt_id", "responses", ["prompt_id"])
    op.create_index("ix_responses_person_id", "responses", ["person_id"])
    op.create_table(
        "tallies",
        _id("prompt_id"), sa.Column("table_id", sa.String(100), nullable=False),
        sa.Column("administration_id", sa.String(200), nullable=False),
        sa.Column("level", sa.String(60), nullable=False), sa.Column("bucket", sa.String(200), nullable=False),
        sa.Column("label", sa.String(200)), sa.Column("count", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["prompt_id"], ["prompts.id"], name="fk_tallies_prompt_id_prompts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("prompt_id", "table_id", "administration_id", "level", "bucket", name="pk_tallies"))

    op.create_table(
        "questions",
        _id(), _id("event_id", 200), sa.Column("text", sa.Text), sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("author_id", sa.String(200)), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason_code", sa.String(40)), sa.Column("reason", sa.Text),
        sa.Column("merged_into_id", sa.String(36)), sa.Column("votes", sa.Integer, nullable=False),
        sa.Column("answer_mode", sa.String(20)), sa.Column("answer_text", sa.Text), sa.Column("answered_at", TIME),
        sa.Column("assignee_id", sa.String(200)), sa.Column("follow_up", sa.String(20), nullable=False),
        sa.Column("follow_up_note", sa.Text), sa.Column("created_at", TIME, nullable=False),
        sa.Column("text_deleted_at", TIME),
        sa.PrimaryKeyConstraint("id", name="pk_questions"))
    op.create_index("ix_questions_wall", "questions", ["event_id", "status", "votes"])
    op.create_index("ix_questions_author_id", "questions", ["author_id"])
    op.create_index("ix_questions_assignee_id", "questions", ["assignee_id"])
    op.create_table(
        "question_votes",
        _id("question_id"), _id("voter_id", 200),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name="fk_question_votes_question_id_questions",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "voter_id", name="pk_question_votes"))
    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False), _id("event_id", 200), _id("question_id"),
        sa.Column("action", sa.String(20), nullable=False), sa.Column("reason_code", sa.String(40)),
        sa.Column("reason", sa.Text), sa.Column("excerpt", sa.Text), sa.Column("merged_into_id", sa.String(36)),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_moderation_log"))
    op.create_index("ix_moderation_log_event_id", "moderation_log", ["event_id"])

    op.create_table(
        "themes",
        _id(), _id("event_id", 200), sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("process_id", sa.String(200)), sa.Column("created_at", TIME, nullable=False),
        sa.Column("published_at", TIME),
        sa.PrimaryKeyConstraint("id", name="pk_themes"))
    op.create_index("ix_themes_event_id", "themes", ["event_id"])
    op.create_table(
        "theme_responses",
        _id("theme_id"), _id("response_id"),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], name="fk_theme_responses_theme_id_themes",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["response_id"], ["responses.id"], name="fk_theme_responses_response_id_responses",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("theme_id", "response_id", name="pk_theme_responses"))
    op.create_index("ix_theme_responses_response_id", "theme_responses", ["response_id"])

    op.create_table(
        "live_feed_heads",
        _id("event_id", 200), sa.Column("seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_live_feed_heads"))
    op.create_table(
        "live_changes",
        _id("event_id", 200), sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False), _id("subject_id"), sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "seq", name="pk_live_changes"))


def downgrade() -> None:
    for table in ("live_changes", "live_feed_heads", "theme_responses", "themes", "moderation_log",
                  "question_votes", "questions", "tallies", "responses", "prompts", "retention_runs",
                  "eligibility_uses", "eligibility_issues", "eligibility_tokens", "event_policies", "table_seats",
                  "directory_org_units"):
        op.drop_table(table)
