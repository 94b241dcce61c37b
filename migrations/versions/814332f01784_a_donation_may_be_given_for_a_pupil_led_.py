"""A donation may be given for a pupil-led initiative

Revision ID: 814332f01784
Revises: 4423247eb278
Create Date: 2026-12-04 10:12:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '814332f01784'
down_revision = '4423247eb278'
branch_labels = None
depends_on = None

CONSTRAINT = 'ck_treasury_entry_kind_category_decision'
EXPENSE_RULE = ("(kind = 'expense' AND category IN ('programmes_events', 'training_resources', 'pupil_initiatives', "
                "'other_expense') AND decision_id IS NOT NULL)")
BEFORE = ("(kind = 'income' AND category IN ('donation', 'fundraising', 'grant', 'other_income') "
          "AND decision_id IS NULL) OR " + EXPENSE_RULE)
AFTER = ("(kind = 'income' AND category IN ('donation', 'initiative_donation', 'fundraising', 'grant', "
         "'other_income') AND decision_id IS NULL) OR " + EXPENSE_RULE)


def _replace_rule(rule):
    with op.batch_alter_table('treasury_entry', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_='check')
        batch_op.create_check_constraint(op.f(CONSTRAINT), rule)


def upgrade():
    _replace_rule(AFTER)


def downgrade():
    # The older schema knows only one kind of donation: an earmarked one becomes a donation again.
    op.execute("UPDATE treasury_entry SET category = 'donation' WHERE category = 'initiative_donation'")
    _replace_rule(BEFORE)
