"""sync stamp: a revision counter per cycle, and the store state each board was last synced with

Revision ID: 0010
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('synced_stamp', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('synced_stamp')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('revision')
