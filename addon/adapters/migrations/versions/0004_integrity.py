"""integrity: the ownership marker each board carries in its description; earlier versions of amended check-ins

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('boards') as batch:
        batch.add_column(sa.Column('marker', sa.String(length=160), nullable=True))
    with op.batch_alter_table('checkins') as batch:
        batch.add_column(sa.Column('history', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('checkins') as batch:
        batch.drop_column('history')
    with op.batch_alter_table('boards') as batch:
        batch.drop_column('marker')
