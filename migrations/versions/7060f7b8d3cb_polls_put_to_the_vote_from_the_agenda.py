"""polls put to the vote from an assembly's agenda: the message voted on and the assembly

Revision ID: 7060f7b8d3cb
Revises: 1bc0082db28e
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7060f7b8d3cb'
down_revision = '1bc0082db28e'
branch_labels = None
depends_on = None

LINKS = (('message_id', 'message'), ('assembly_id', 'assembly'))
NOT_CANCELLED = sa.text("status != 'cancelled'")


def upgrade():
    # SQLite rebuilds `poll` here; migrations/env.py turns foreign keys off meanwhile so that its ballots,
    # émargements, options and audit events are not deleted with the old table.
    with op.batch_alter_table('poll', schema=None) as batch_op:
        for column, table in LINKS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_poll_{column}_{table}'), table, [column], ['id'],
                                        ondelete='SET NULL')
            batch_op.create_index(batch_op.f(f'ix_poll_{column}'), [column], unique=False)
        batch_op.create_index('uq_poll_message_id_not_cancelled', ['message_id'], unique=True,
                              sqlite_where=NOT_CANCELLED, postgresql_where=NOT_CANCELLED)


def downgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index('uq_poll_message_id_not_cancelled')
        for column, table in reversed(LINKS):
            batch_op.drop_index(batch_op.f(f'ix_poll_{column}'))
            batch_op.drop_constraint(batch_op.f(f'fk_poll_{column}_{table}'), type_='foreignkey')
            batch_op.drop_column(column)
