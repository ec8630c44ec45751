"""sync: conflicts log, store-side edit times per field, key-result comments

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=True),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('base', sa.JSON(), nullable=True),
    sa.Column('board_value', sa.JSON(), nullable=True),
    sa.Column('store_value', sa.JSON(), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflicts_board_id'), ['board_id'], unique=False)

    with op.batch_alter_table('objectives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.JSON(), nullable=True))
    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.drop_column('comment')
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('objectives', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('sync_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflicts_board_id'))

    op.drop_table('sync_conflicts')
