"""PostgreSQL keeps each decision's search vector in a stored column

Revision ID: 1bc0082db28e
Revises: 2ba28ebee33f
Create Date: 2026-11-29 07:45:00

"""
from alembic import op

from app.models.search import create_search_objects


# revision identifiers, used by Alembic.
revision = '1bc0082db28e'
down_revision = '2ba28ebee33f'
branch_labels = None
depends_on = None


def upgrade():
    # The expression index made PostgreSQL recompute each candidate row's vector from its text; a stored column
    # is read instead. SQLite's FTS5 index is unchanged.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_decision_search")
        create_search_objects('postgresql', op.execute)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_decision_search")
        op.execute("ALTER TABLE decision DROP COLUMN IF EXISTS search_vector")
        op.execute("CREATE INDEX ix_decision_search ON decision USING gin (agora_search_vector(text))")
