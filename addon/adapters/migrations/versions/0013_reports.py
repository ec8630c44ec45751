"""reports: the last sync's problems per board (for reports made without a sync), and where a carried objective
or key result came from (next-cycle)

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sync_problems', sa.JSON(), nullable=True))
    with op.batch_alter_table('objectives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from', sa.JSON(), nullable=True))
    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from', sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it): a batch would copy the tables, and dropping the old `objectives`
    # table would cascade to every key result.
    op.drop_column('key_results', 'carried_from')
    op.drop_column('objectives', 'carried_from')
    op.drop_column('boards', 'sync_problems')
