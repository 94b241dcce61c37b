"""A poll remembers the agenda item it was put from, and an item runs one ballot box at a time

Revision ID: a1c3e5f70b29
Revises: 8416cfc30d7f
Create Date: 2026-12-03 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f70b29'
down_revision = '8416cfc30d7f'
branch_labels = None
depends_on = None

RUNNING = sa.text("status IN ('draft', 'open', 'closed')")
# A poll put from an assembly's agenda names its proposal or amendment: the item is the one carrying that proposal.
BACKFILL = """
UPDATE poll SET agenda_item_id = (
    SELECT agenda_item.id FROM agenda_item JOIN message ON agenda_item.message_id = COALESCE(message.amends_id, message.id)
    WHERE message.id = poll.message_id AND agenda_item.assembly_id = poll.assembly_id)
WHERE message_id IS NOT NULL AND assembly_id IS NOT NULL
"""


def upgrade():
    # SQLite rebuilds `poll` here; migrations/env.py turns foreign keys off meanwhile so that its ballots,
    # émargements, options and audit events are not deleted with the old table.
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_poll_agenda_item_id_agenda_item'), 'agenda_item',
                                    ['agenda_item_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_poll_agenda_item_id'), ['agenda_item_id'], unique=False)
    op.execute(BACKFILL)
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index('uq_poll_agenda_item_id_running', ['agenda_item_id'], unique=True,
                              sqlite_where=RUNNING, postgresql_where=RUNNING)


def downgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index('uq_poll_agenda_item_id_running')
        batch_op.drop_index(batch_op.f('ix_poll_agenda_item_id'))
        batch_op.drop_constraint(batch_op.f('fk_poll_agenda_item_id_agenda_item'), type_='foreignkey')
        batch_op.drop_column('agenda_item_id')
