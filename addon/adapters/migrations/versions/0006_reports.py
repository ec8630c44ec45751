"""reports: a picture of the board at each check-in (the report's time-lapse); a closed cycle's final scores

Revision ID: 0006
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkin_pictures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('checkin', sa.Integer(), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('board_id', 'checkin')
    )
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closing', sa.JSON(), nullable=True))
    with op.batch_alter_table('checkin_pictures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_pictures_board_id'), ['board_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checkin_pictures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_pictures_board_id'))
    op.drop_table('checkin_pictures')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('closing')
