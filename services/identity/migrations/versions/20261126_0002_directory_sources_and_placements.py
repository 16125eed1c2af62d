"""directory sources (userName, externalId, employee number, version) and placement history

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
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("user_name", sa.String(300)))
        batch.add_column(sa.Column("external_id", sa.String(300)))
        batch.add_column(sa.Column("employee_number", sa.String(100)))
        batch.add_column(sa.Column("source", sa.String(20), nullable=False, server_default="api"))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.create_unique_constraint("uq_people_user_name", ["user_name"])
        batch.create_index("ix_people_external_id", ["external_id"])
    with op.batch_alter_table("org_units") as batch:
        batch.add_column(sa.Column("external_id", sa.String(300)))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.create_index("ix_org_units_external_id", ["external_id"])
    op.create_table(
        "person_placements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(200),
                  sa.ForeignKey("people.id", name="fk_person_placements_person_id_people", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("org_unit_id", sa.String(200)),
        sa.Column("manager_id", sa.String(200)),
        sa.Column("level", sa.String(60)),
        sa.Column("title", sa.String(300)),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_person_placements_person_id", "person_placements", ["person_id"])


def downgrade() -> None:
    op.drop_table("person_placements")
    with op.batch_alter_table("org_units") as batch:
        batch.drop_index("ix_org_units_external_id")
        batch.drop_column("version")
        batch.drop_column("external_id")
    with op.batch_alter_table("people") as batch:
        batch.drop_index("ix_people_external_id")
        batch.drop_constraint("uq_people_user_name", type_="unique")
        for col in ("version", "source", "employee_number", "external_id", "user_name"):
            batch.drop_column(col)
