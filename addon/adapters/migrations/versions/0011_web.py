"""web: sign-in rate limits shared by every process on the store

Revision ID: 0011
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limits',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('window', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window')
    )


def downgrade() -> None:
    op.drop_table('rate_limits')
