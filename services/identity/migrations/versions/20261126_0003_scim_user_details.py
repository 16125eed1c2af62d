"""SCIM: user details Person has no column for (name parts, department and language as sent, deletion, revision)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scim_user_details",
        sa.Column("person_id", sa.String(200),
                  sa.ForeignKey("people.id", name="fk_scim_user_details_person_id_people", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("formatted_name", sa.String(300)),
        sa.Column("given_name", sa.String(300)),
        sa.Column("family_name", sa.String(300)),
        sa.Column("display_name", sa.String(300)),
        sa.Column("department", sa.String(300)),
        sa.Column("department_unit_id", sa.String(200)),
        sa.Column("preferred_language", sa.String(300)),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scim_user_details")
