"""A pupil treasurer's entry waits for the educator's confirmation; every entry so far is confirmed

Revision ID: d5c5ead426be
Revises: a1c3e5f70b29
Create Date: 2026-12-03 19:59:54.152790

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5c5ead426be'
down_revision = 'a1c3e5f70b29'
branch_labels = None
depends_on = None

CHECKS = {
    'ck_treasury_entry_confirmed_by_whom': '(confirmed_at IS NULL) = (confirmed_by IS NULL)',
    'ck_treasury_entry_refused_by_whom': '(refused_at IS NULL) = (refused_by IS NULL)',
    'ck_treasury_entry_confirmed_or_refused': 'confirmed_at IS NULL OR refused_at IS NULL',
    'ck_treasury_entry_cancelled_once_confirmed': 'cancelled_at IS NULL OR confirmed_at IS NOT NULL',
}


def upgrade():
    with op.batch_alter_table('treasury_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_pupil_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submission_key', sa.String(length=43), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('refused_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.String(length=200), nullable=False, server_default=''))
    # Every entry so far was recorded by an educator, who confirmed it by recording it: nothing changes in any total.
    op.execute("UPDATE treasury_entry SET confirmed_at = recorded_at, confirmed_by = recorded_by")
    with op.batch_alter_table('treasury_entry', schema=None) as batch_op:
        batch_op.alter_column('refusal_reason', server_default=None)
        batch_op.create_index(batch_op.f('ix_treasury_entry_recorded_by_pupil_id'), ['recorded_by_pupil_id'],
                              unique=False)
        batch_op.create_unique_constraint('uq_treasury_entry_pupil_submission',
                                          ['recorded_by_pupil_id', 'submission_key'])
        batch_op.create_foreign_key(batch_op.f('fk_treasury_entry_recorded_by_pupil_id_pupil'), 'pupil',
                                    ['recorded_by_pupil_id'], ['id'])
        for name, rule in CHECKS.items():
            batch_op.create_check_constraint(op.f(name), rule)


def downgrade():
    # The older schema knows only entries that count: those still waiting or refused leave with the columns.
    op.execute("DELETE FROM treasury_entry WHERE confirmed_at IS NULL")
    with op.batch_alter_table('treasury_entry', schema=None) as batch_op:
        for name in CHECKS:
            batch_op.drop_constraint(op.f(name), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_treasury_entry_recorded_by_pupil_id_pupil'), type_='foreignkey')
        batch_op.drop_constraint('uq_treasury_entry_pupil_submission', type_='unique')
        batch_op.drop_index(batch_op.f('ix_treasury_entry_recorded_by_pupil_id'))
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('refused_by')
        batch_op.drop_column('refused_at')
        batch_op.drop_column('confirmed_by')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('submission_key')
        batch_op.drop_column('recorded_by_pupil_id')
