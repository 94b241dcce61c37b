"""ballot keys outside the database, trackers kept apart from the ballots, no casting order in the émargement

Polls counted or cancelled before this revision kept their cast ballots and a private key wrapped under the server
secret alone: anyone with a copy of the database and that secret could open them. Their trackers are now stored
as a sorted list, their ballots and wrapped keys deleted (the counting ceremony is no longer offered for them).
Polls still open or closed keep working with their old wrapping until they are counted.

Revision ID: 5b93587a7030
Revises: 7060f7b8d3cb
Create Date: 2026-12-03 08:42:39.896423

"""
import json

import sqlalchemy as sa
from alembic import op

from app.domain.trackers import tracker_indices

# revision identifiers, used by Alembic.
revision = '5b93587a7030'
down_revision = '7060f7b8d3cb'
branch_labels = None
depends_on = None

poll = sa.table('poll', sa.column('id', sa.Integer), sa.column('status', sa.String), sa.column('trackers', sa.Text),
                sa.column('wrapped_private_key', sa.LargeBinary), sa.column('key_cards_wrapped', sa.Text),
                sa.column('scrub_pending', sa.Boolean))
ballot = sa.table('ballot', sa.column('poll_id', sa.Integer), sa.column('sealed', sa.LargeBinary))


def upgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_name', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('trackers', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('scrub_pending', sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('participation', recreate='always',
                                  table_kwargs={'sqlite_with_rowid': False}) as batch_op:
            batch_op.alter_column('pupil_id', existing_type=sa.Integer(), nullable=False)
    _forget_spent_ballots()


def _forget_spent_ballots():
    connection = op.get_bind()
    spent = connection.execute(sa.select(poll.c.id, poll.c.status).where(
        poll.c.status.in_(('counted', 'closed', 'cancelled')))).all()
    for poll_id, status in spent:
        sealed = connection.execute(sa.select(ballot.c.sealed).where(ballot.c.poll_id == poll_id)).scalars().all()
        values = {'trackers': json.dumps(sorted(tracker_indices(item) for item in sealed))}
        if status != 'closed':
            values.update(wrapped_private_key=None, key_cards_wrapped=None, scrub_pending=True)
            connection.execute(ballot.delete().where(ballot.c.poll_id == poll_id))
        connection.execute(poll.update().where(poll.c.id == poll_id).values(**values))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('participation', recreate='always',
                                  table_kwargs={'sqlite_with_rowid': True}) as batch_op:
            batch_op.alter_column('pupil_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_column('scrub_pending')
        batch_op.drop_column('trackers')
        batch_op.drop_column('key_name')
