"""A message remembers its submission, so a form sent twice is stored once

Revision ID: 4423247eb278
Revises: c9dc14b7e463
Create Date: 2026-12-03 16:42:26.072891

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4423247eb278'
down_revision = 'c9dc14b7e463'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=43), nullable=True))
        batch_op.create_unique_constraint('uq_message_author_submission', ['author_id', 'submission_key'])


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('uq_message_author_submission', type_='unique')
        batch_op.drop_column('submission_key')
