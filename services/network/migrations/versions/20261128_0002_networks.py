"""networks: profiles, matching runs, groups, memberships, meetings, check-ins, draws, mail; read models of
org units, attendance and seating

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attendees',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checked_in', sa.Boolean(), nullable=False),
    sa.Column('source_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'person_id', name=op.f('pk_attendees'))
    )
    op.create_table('directory_org_units',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.String(length=200), nullable=True),
    sa.Column('source_seq', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_org_units'))
    )
    op.create_table('leadership_draws',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('drawn_by', sa.String(length=200), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leadership_draws'))
    )
    op.create_index(op.f('ix_leadership_draws_period'), 'leadership_draws', ['period'], unique=False)
    op.create_table('matching_runs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('population', sa.JSON(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('excluded', sa.JSON(), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('best_objective', sa.Float(), nullable=True),
    sa.Column('upper_bound', sa.Float(), nullable=True),
    sa.Column('stop_requested', sa.Boolean(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.JSON(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_runs'))
    )
    op.create_index(op.f('ix_matching_runs_status'), 'matching_runs', ['status'], unique=False)
    op.create_table('network_groups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('run_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('first_meeting_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merged_into', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dissolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_groups'))
    )
    op.create_index(op.f('ix_network_groups_run_id'), 'network_groups', ['run_id'], unique=False)
    op.create_table('network_mail',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('to_name', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('ics', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_mail'))
    )
    op.create_index('ix_network_mail_due', 'network_mail', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_network_mail_person_id'), 'network_mail', ['person_id'], unique=False)
    op.create_table('profiles',
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('challenges', sa.JSON(), nullable=False),
    sa.Column('challenges_text', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('availability', sa.JSON(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('years_as_manager', sa.Float(), nullable=True),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('share', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_profiles'))
    )
    op.create_table('seats',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('round_no', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('table_id', sa.String(length=100), nullable=False),
    sa.Column('source_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'round_no', 'person_id', name=op.f('pk_seats'))
    )
    op.create_index(op.f('ix_seats_person_id'), 'seats', ['person_id'], unique=False)
    op.create_index('ix_seats_table', 'seats', ['event_id', 'round_no', 'table_id'], unique=False)
    op.create_table('check_ins',
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_groups.id'],
        name=op.f('fk_check_ins_group_id_network_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'person_id', 'period', name=op.f('pk_check_ins'))
    )
    op.create_index(op.f('ix_check_ins_person_id'), 'check_ins', ['person_id'], unique=False)
    op.create_table('meetings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attendees', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_groups.id'],
        name=op.f('fk_meetings_group_id_network_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    op.create_index(op.f('ix_meetings_group_id'), 'meetings', ['group_id'], unique=False)
    op.create_table('memberships',
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('left_reason', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['network_groups.id'],
        name=op.f('fk_memberships_group_id_network_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'person_id', name=op.f('pk_memberships'))
    )
    op.create_index(op.f('ix_memberships_person_id'), 'memberships', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_table("memberships")
    op.drop_table("meetings")
    op.drop_table("check_ins")
    op.drop_table("seats")
    op.drop_table("profiles")
    op.drop_table("network_mail")
    op.drop_table("network_groups")
    op.drop_table("matching_runs")
    op.drop_table("leadership_draws")
    op.drop_table("directory_org_units")
    op.drop_table("attendees")
