"""scoring: maintain key results state their threshold (at_least / at_most); existing ones become ranges

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0005'
branch_labels = None
depends_on = None

key_results = sa.table(
    'key_results',
    sa.column('kind', sa.String),
    sa.column('start_value', sa.Float),
    sa.column('target', sa.Float),
    sa.column('at_least', sa.Float),
    sa.column('at_most', sa.Float),
)


def upgrade() -> None:
    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_least', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('at_most', sa.Float(), nullable=True))
    # A maintain key result was read as the range between its start and target (either order): keep reading it
    # so, now stated explicitly, and drop the target it no longer has.
    start, target = key_results.c.start_value, key_results.c.target
    op.execute(
        key_results.update()
        .where(key_results.c.kind == 'maintain', target.is_not(None))
        .values(
            at_least=sa.case((start <= target, start), else_=target),
            at_most=sa.case((start <= target, target), else_=start),
            start_value=0.0,
            target=None,
        )
    )


def downgrade() -> None:
    # Back to the start/target form: a range keeps its bounds; a one-sided threshold has no exact equivalent,
    # so it becomes the range from its bound to itself (start = target), which rule M6 then asks about.
    least, most = key_results.c.at_least, key_results.c.at_most
    op.execute(
        key_results.update()
        .where(key_results.c.kind == 'maintain', sa.or_(least.is_not(None), most.is_not(None)))
        .values(start_value=sa.func.coalesce(least, most), target=sa.func.coalesce(most, least))
    )
    with op.batch_alter_table('key_results', schema=None) as batch_op:
        batch_op.drop_column('at_most')
        batch_op.drop_column('at_least')
