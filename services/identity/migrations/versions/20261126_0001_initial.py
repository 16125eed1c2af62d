"""initial: people, org units, outbox, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

from samla_common.migrations import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.String(200), sa.ForeignKey("org_units.id", name="fk_org_units_parent_id_org_units")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_org_units_parent_id", "org_units", ["parent_id"])
    op.create_table(
        "people",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("title", sa.String(300)),
        sa.Column("level", sa.String(60)),
        sa.Column("org_unit_id", sa.String(200), sa.ForeignKey("org_units.id", name="fk_people_org_unit_id_org_units")),
        sa.Column("manager_id", sa.String(200)),
        sa.Column("location", sa.String(200)),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_people_email", "people", ["email"])
    op.create_index("ix_people_org_unit_id", "people", ["org_unit_id"])
    op.create_index("ix_people_manager_id", "people", ["manager_id"])


def downgrade() -> None:
    op.drop_table("people")
    op.drop_table("org_units")
    op.drop_table("inbox")
    op.drop_table("outbox")
