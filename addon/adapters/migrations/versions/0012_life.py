"""life: an objective's change log, and what stays of its removed key results (their numbers are never reused)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('objectives') as batch:
        batch.add_column(sa.Column('history', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('removed_key_results', sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of `objectives` on SQLite would drop the table,
    # and with it, through ON DELETE CASCADE, every key result.
    op.execute('ALTER TABLE objectives DROP COLUMN removed_key_results')
    op.execute('ALTER TABLE objectives DROP COLUMN history')
