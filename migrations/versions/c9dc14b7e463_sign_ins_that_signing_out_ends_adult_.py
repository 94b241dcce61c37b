"""Sign-ins that signing out ends: adult sessions and the pupil session of a tablet

Revision ID: c9dc14b7e463
Revises: 5b93587a7030
Create Date: 2026-12-03 13:05:34.862752

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9dc14b7e463'
down_revision = '5b93587a7030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('adult_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_adult_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adult_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_adult_session_key_hash'))
    )
    with op.batch_alter_table('adult_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adult_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('paired_tablet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pupil_session_hash', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('paired_tablet', schema=None) as batch_op:
        batch_op.drop_column('pupil_session_hash')

    with op.batch_alter_table('adult_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adult_session_user_id'))

    op.drop_table('adult_session')
