"""initial: outbox, inbox, the read model of people

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
from alembic import op

from samla_common.migrations import create_directory_people_table, create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables()
    create_directory_people_table()


def downgrade() -> None:
    op.drop_table("directory_people")
    op.drop_table("inbox")
    op.drop_table("outbox")
