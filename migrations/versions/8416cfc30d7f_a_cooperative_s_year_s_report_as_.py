"""A cooperative's year's report as submitted to the federation

Revision ID: 8416cfc30d7f
Revises: 814332f01784
Create Date: 2026-12-03 19:54:48.347540

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8416cfc30d7f'
down_revision = '814332f01784'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('year_report_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by', sa.String(length=120), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperative.id'], name=op.f('fk_year_report_submission_cooperative_id_cooperative'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_report_submission')),
    sa.UniqueConstraint('cooperative_id', name=op.f('uq_year_report_submission_cooperative_id'))
    )


def downgrade():
    op.drop_table('year_report_submission')
